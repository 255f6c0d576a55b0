// Command serve serves a directory (default build/site) on 127.0.0.1.
//
//	PORT=8080 go run ./site/cmd/serve [-dir build/site]
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	dir := flag.String("dir", "build/site", "directory to serve")
	flag.Parse()
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	if _, err := os.Stat(*dir); err != nil {
		log.Fatalf("serve: %v (run make site first)", err)
	}
	files := http.FileServer(http.Dir(*dir))
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Always revalidate, so a rebuilt wasm and loader are never mixed
		// with cached ones.
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
	addr := "127.0.0.1:" + port
	fmt.Printf("serving http://%s\n", addr)
	log.Fatal(http.ListenAndServe(addr, handler))
}
