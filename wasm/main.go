//go:build js && wasm

// Command wasm is the raftlab WebAssembly module: it publishes the global
// raftlab object (api.go) and draws the view (view_*.go) with dom/v2. It is
// started by site/static/raftlab-loader.js, which defines the bridge that
// turns Go failures into thrown JS Errors (jsutil.go).
package main

import (
	"strconv"
	"syscall/js"
)

func main() {
	bridge = js.Global().Get("__raftlabBridge")
	if bridge.Type() != js.TypeObject || bridge.Get("protocol").Type() != js.TypeNumber ||
		bridge.Get("protocol").Int() != bridgeProtocol {
		js.Global().Get("console").Call("error",
			"raftlab: start raftlab.wasm with the raftlab-loader.js of the same build (bridge protocol "+
				itoa(bridgeProtocol)+" not found)")
		return
	}
	api := newAPI()
	js.Global().Set("raftlab", api)
	bridge.Call("ready", api)
	select {} // keep the Go runtime alive for the callbacks
}

func itoa(i int) string { return strconv.Itoa(i) }

func quote(s string) string { return strconv.Quote(s) }
