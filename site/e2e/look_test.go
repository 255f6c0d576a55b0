//go:build !js

package e2e

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestLook saves screenshots of pages at the sizes people use, for a person
// to look at (RAFTLAB_LOOK=1; RAFTLAB_LOOK_PAGES to choose pages, as
// "name=path?query" pairs separated by spaces).
func TestLook(t *testing.T) {
	if os.Getenv("RAFTLAB_LOOK") != "1" {
		t.Skip("screenshots for people run with RAFTLAB_LOOK=1")
	}
	pages := os.Getenv("RAFTLAB_LOOK_PAGES")
	if pages == "" {
		pages = "playground=playground.html ch3=tutorials/log-replication.html ch6=tutorials/figure-8.html"
	}
	sizes := [][2]int64{{390, 844}, {1280, 800}, {1920, 1080}}
	ctx := StartBrowser(t)
	base := ServeSite(t)
	for _, p := range strings.Fields(pages) {
		name, path, _ := strings.Cut(p, "=")
		for _, sz := range sizes {
			Viewport(t, ctx, sz[0], sz[1])
			Navigate(t, ctx, base+"/"+path)
			WaitReady(t, ctx)
			if js := os.Getenv("RAFTLAB_LOOK_JS"); js != "" {
				Eval(t, ctx, js, nil)
			}
			Eval(t, ctx, `new Promise(r => setTimeout(r, 300))`, nil)
			ViewportScreenshot(t, ctx, "look-"+name+"-"+strconv.Itoa(int(sz[0])))
		}
	}
}
