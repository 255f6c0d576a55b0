package build

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// BuildWasm builds the module raftlab/wasm into out/raftlab.wasm (as make wasm
// does) and copies wasm_exec.js of the same Go next to it. It runs the go
// command, so it works from anywhere inside the module. Build tags are for
// tests (raftlab_pseudo adds the pseudo-locale, see raft/words/pseudo.go).
func BuildWasm(out string, tags ...string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	wasm, err := filepath.Abs(filepath.Join(out, "raftlab.wasm"))
	if err != nil {
		return err
	}
	args := []string{"build", "-trimpath", "-ldflags=-s -w", "-o", wasm}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	cmd := exec.Command("go", append(args, "raftlab/wasm")...)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if outb, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build raftlab/wasm: %v\n%s", err, outb)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %v", err)
	}
	src := filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js")
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "wasm_exec.js"), data, 0o644)
}
