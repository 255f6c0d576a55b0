package build

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The page's module stays small: fmt and encoding/json (and runtime/debug,
// which pulls in fmt) add about 1.2 MB raw / 230 KB brotli. Use strconv and
// syscall/js instead. See shared/anchors.md, "Web budget facts".
func TestWasmAvoidsHeavyPackages(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "raftlab/wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		deps[p] = true
	}
	for _, heavy := range []string{"fmt", "encoding/json", "runtime/debug"} {
		if deps[heavy] {
			t.Errorf("raftlab/wasm depends on %s (find the importer with: GOOS=js GOARCH=wasm go list -deps -f '{{.ImportPath}}: {{.Imports}}' ./wasm | grep %s)", heavy, heavy)
		}
	}
}
