package build

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHandlerHeaders(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "raftlab.wasm"), []byte("\x00asm"), 0o644))
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()
	for _, c := range []struct {
		method, path string
		status       int
		contentType  string
	}{
		{http.MethodGet, "/raftlab.wasm", http.StatusOK, "application/wasm"},
		{http.MethodOptions, "/raftlab.wasm", http.StatusNoContent, ""},
		{http.MethodGet, "/missing.js", http.StatusNotFound, ""},
	} {
		req, err := http.NewRequest(c.method, srv.URL+c.path, nil)
		require.NoError(t, err)
		req.Header.Set("Origin", "https://course.example")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, c.status, resp.StatusCode, c.method+" "+c.path)
		assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"), c.path)
		assert.Equal(t, "cross-origin", resp.Header.Get("Cross-Origin-Resource-Policy"), c.path)
		if c.contentType != "" {
			assert.Equal(t, "no-cache", resp.Header.Get("Cache-Control"), c.path)
			assert.Equal(t, c.contentType, resp.Header.Get("Content-Type"), c.path)
		}
	}
}
