package build

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The page's module stays small: fmt and encoding/json (and runtime/debug,
// which pulls in fmt) add about 1.2 MB raw / 230 KB brotli when code uses
// them. Use strconv and syscall/js instead. See shared/anchors.md, "Web
// budget facts".
//
// One importer is allowed: the linearizability checker
// (github.com/anishathalye/porcupine) imports them for its visualization,
// which the module never calls, so the linker keeps only the checking path
// (it adds about 120 KB raw / 27 KB brotli in all; make sizes).
func TestWasmAvoidsHeavyPackages(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}:{{join .Imports \" \"}}", "raftlab/wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	heavy := []string{"fmt", "encoding/json", "runtime/debug"}
	allowed := append([]string{"github.com/anishathalye/porcupine"}, heavy...)
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		for _, imp := range strings.Fields(imports) {
			if slices.Contains(heavy, imp) && !slices.Contains(allowed, pkg) {
				t.Errorf("%s imports %s, which the page's module must not use", pkg, imp)
			}
		}
	}
}
