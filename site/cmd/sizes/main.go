// Command sizes prints the size of a file raw, gzipped (level 9) and
// brotli-compressed (quality 11), as a web server would send it.
//
//	go run ./site/cmd/sizes [build/site/raftlab.wasm ...]
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"

	"github.com/andybalholm/brotli"
)

func main() {
	files := os.Args[1:]
	if len(files) == 0 {
		files = []string{"build/site/raftlab.wasm"}
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		var gz, br bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(data)
		zw.Close()
		bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
		bw.Write(data)
		bw.Close()
		fmt.Printf("%s: raw %s, gzip %s, brotli %s\n", f, kb(len(data)), kb(gz.Len()), kb(br.Len()))
	}
}

func kb(n int) string { return fmt.Sprintf("%d B (%.0f KB)", n, float64(n)/1024) }
