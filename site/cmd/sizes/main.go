// Command sizes prints the size of a file raw, gzipped (level 9) and
// brotli-compressed (quality 11), as a web server would send it.
//
//	go run ./site/cmd/sizes [build/site/raftlab.wasm ...]
package main

import (
	"fmt"
	"os"

	"raftlab/site/build"
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
		gz, br := build.CompressedSizes(data)
		fmt.Printf("%s: raw %s, gzip %s, brotli %s\n", f, kb(len(data)), kb(gz), kb(br))
	}
}

func kb(n int) string { return fmt.Sprintf("%d B (%.0f KB)", n, float64(n)/1024) }
