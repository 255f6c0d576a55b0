// Command sitebuild writes the raftlab static site into a directory.
//
//	go run ./site/cmd/sitebuild -out build/site [-wasm]
//
// -wasm also builds raftlab.wasm and copies wasm_exec.js (make wasm does the
// same; the Makefile builds it separately).
package main

import (
	"flag"
	"fmt"
	"os"

	"raftlab/site/build"
)

func main() {
	out := flag.String("out", "build/site", "output directory")
	wasm := flag.Bool("wasm", false, "also build raftlab.wasm and copy wasm_exec.js")
	flag.Parse()

	b := build.New(*out)
	if err := b.Run(build.DefaultSteps()...); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *wasm {
		if err := build.BuildWasm(*out); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	fmt.Printf("sitebuild: wrote %d files to %s\n", len(b.Written()), *out)
}
