// Command serve serves a directory (default build/site) on 127.0.0.1,
// with the headers of build.Handler: any origin may use the files (so a
// course page elsewhere can embed clusters), and nothing is cached without
// revalidation. It fails when its port is taken.
//
//	PORT=8080 go run ./site/cmd/serve [-dir build/site]
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"

	"raftlab/site/build"
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
	addr := "127.0.0.1:" + port
	fmt.Printf("serving http://%s\n", addr)
	log.Fatal(http.ListenAndServe(addr, build.Handler(*dir)))
}
