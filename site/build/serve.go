package build

import "net/http"

// Handler serves a built site from dir as site/cmd/serve does:
//   - every file may be used from any origin (Access-Control-Allow-Origin
//     and Cross-Origin-Resource-Policy), so that a course page elsewhere
//     can load raft-cluster.js, the loader and raftlab.wasm from here;
//   - every response is revalidated (Cache-Control: no-cache), so that a
//     rebuilt wasm and loader are never mixed with cached ones;
//   - .wasm is served as application/wasm (http.FileServer does), as
//     streaming instantiation requires.
func Handler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-cache")
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		if r.Method == http.MethodOptions {
			h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		files.ServeHTTP(w, r)
	})
}
