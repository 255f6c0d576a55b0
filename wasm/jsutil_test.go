//go:build js && wasm

package main

// These tests run under node:
//   GOOS=js GOARCH=wasm go test -exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec" ./wasm/...
// They evaluate the real loader (site/static/raftlab-loader.js) to get the JS
// bridge, then call exported functions the way a page does: through the JS
// wrapper, catching what it throws.

import (
	"errors"
	"os"
	"strings"
	"syscall/js"
	"testing"
)

func TestMain(m *testing.M) {
	src, err := os.ReadFile("../site/static/raftlab-loader.js")
	if err != nil {
		println("reading the loader:", err.Error())
		os.Exit(2)
	}
	js.Global().Call("eval", string(src)) // indirect eval: global scope
	bridge = js.Global().Get("__raftlabBridge")
	if bridge.Get("protocol").Int() != bridgeProtocol {
		println("the loader's bridge protocol differs from bridgeProtocol")
		os.Exit(2)
	}
	os.Exit(m.Run())
}

// call calls the JS function f with this and args, and returns its result or
// the value it threw.
func call(f, this js.Value, args ...any) (res, thrown js.Value) {
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(js.Error)
			if !ok {
				panic(r)
			}
			thrown = e.Value
		}
	}()
	return f.Call("call", append([]any{this}, args...)...), js.Undefined()
}

// testExports publishes fns on a fresh object under the prefix "test".
func testExports(t *testing.T, fns map[string]Func) js.Value {
	t.Helper()
	obj := newObject()
	ex := newExports(obj, "test")
	for name, fn := range fns {
		ex.fn(name, fn)
	}
	t.Cleanup(ex.release)
	return obj
}

// wantThrow checks that calling obj[name](args...) throws an Error whose
// message is want.
func wantThrow(t *testing.T, obj js.Value, name, want string, args ...any) {
	t.Helper()
	res, thrown := call(obj.Get(name), obj, args...)
	if thrown.IsUndefined() {
		t.Fatalf("%s: no throw, returned %v", name, res)
	}
	if !thrown.InstanceOf(js.Global().Get("Error")) {
		t.Fatalf("%s: threw a %s, not an Error", name, thrown.Type())
	}
	if got := thrown.Get("message").String(); got != want {
		t.Errorf("%s: message\n got %q\nwant %q", name, got, want)
	}
}

func TestPanicsAndErrorsThrow(t *testing.T) {
	var nilMap map[string]int
	var slice []int
	obj := testExports(t, map[string]Func{
		"boom":   func(c *Call) (any, error) { panic("boom") },
		"nilMap": func(c *Call) (any, error) { nilMap["x"] = 1; return nil, nil },
		"index":  func(c *Call) (any, error) { return slice[len(c.Args)+3], nil },
		"err":    func(c *Call) (any, error) { return nil, errors.New("no leader") },
		"jsThrow": func(c *Call) (any, error) {
			js.Global().Get("JSON").Call("parse", "{")
			return nil, nil
		},
		"ok": func(c *Call) (any, error) { return "fine", nil },
	})

	wantThrow(t, obj, "boom", "test.boom: internal error: boom")
	wantThrow(t, obj, "err", "test.err: no leader")
	wantThrow(t, obj, "nilMap", "test.nilMap: internal error: assignment to entry in nil map")
	res, thrown := call(obj.Get("index"), obj)
	if thrown.IsUndefined() || !strings.HasPrefix(thrown.Get("message").String(), "test.index: internal error: runtime error: index out of range") {
		t.Errorf("index: got %v, threw %v", res, thrown)
	}
	res, thrown = call(obj.Get("jsThrow"), obj)
	if thrown.IsUndefined() || !strings.HasPrefix(thrown.Get("message").String(), "test.jsThrow: ") {
		t.Errorf("jsThrow: got %v, threw %v", res, thrown)
	}

	// The module keeps running after all of that.
	for i := 0; i < 3; i++ {
		res, thrown := call(obj.Get("ok"), obj)
		if !thrown.IsUndefined() || res.String() != "fine" {
			t.Fatalf("ok after failures: got %v, threw %v", res, thrown)
		}
	}
}

func TestValuesPassThrough(t *testing.T) {
	obj := testExports(t, map[string]Func{
		// An object that looks like an error is still a plain value.
		"lookalike": func(c *Call) (any, error) {
			return map[string]any{"message": "not an error", "error": "no"}, nil
		},
		"this":    func(c *Call) (any, error) { return c.This, nil },
		"nothing": func(c *Call) (any, error) { return nil, nil },
		"sum": func(c *Call) (any, error) {
			return c.Number(0, "a") + c.Number(1, "b"), nil
		},
	})
	res, thrown := call(obj.Get("lookalike"), obj)
	if !thrown.IsUndefined() || res.Get("message").String() != "not an error" {
		t.Errorf("lookalike: got %v, threw %v", res, thrown)
	}
	res, _ = call(obj.Get("this"), obj)
	if !res.Equal(obj) {
		t.Errorf("this: not passed through")
	}
	res, thrown = call(obj.Get("nothing"), obj)
	if !thrown.IsUndefined() || !res.IsNull() {
		t.Errorf("nothing: got %v, threw %v", res, thrown)
	}
	res, _ = call(obj.Get("sum"), obj, 2, 3.5)
	if res.Float() != 5.5 {
		t.Errorf("sum: got %v", res.Float())
	}
	if got := obj.Get("sum").Get("name").String(); got != "test.sum" {
		t.Errorf("function name: got %q", got)
	}
}

func TestArgumentMessages(t *testing.T) {
	obj := testExports(t, map[string]Func{
		"propose": func(c *Call) (any, error) {
			c.Int(0, "node", 1, 9)
			c.String(1, "command")
			return nil, nil
		},
		"flags": func(c *Call) (any, error) {
			c.Bool(0, "on")
			c.Object(1, "config")
			return nil, nil
		},
		"opts": func(c *Call) (any, error) {
			o := c.Options(0, "options")
			return map[string]any{
				"nodes": o.Int("nodes", 5, 1, 9),
				"title": o.String("title", "none"),
				"fast":  o.Bool("fast", false),
			}, nil
		},
	})
	wantThrow(t, obj, "propose", "test.propose: argument 2 (command) must be a string, got number 42", 1, 42)
	wantThrow(t, obj, "propose", "test.propose: argument 2 (command) must be a string, got undefined", 1)
	wantThrow(t, obj, "propose", "test.propose: argument 1 (node) must be an integer from 1 to 9, got number 2.5", 2.5, "x")
	wantThrow(t, obj, "propose", "test.propose: argument 1 (node) must be an integer from 1 to 9, got number 10", 10, "x")
	wantThrow(t, obj, "propose", "test.propose: argument 1 (node) must be an integer from 1 to 9, got string", "1", "x")
	wantThrow(t, obj, "flags", "test.flags: argument 1 (on) must be a boolean, got null", js.Null())
	wantThrow(t, obj, "flags", "test.flags: argument 2 (config) must be an object, got function", true, js.Global().Get("Object"))
	wantThrow(t, obj, "opts", "test.opts: argument 1 (options) must be an object, got array", []any{1})
	wantThrow(t, obj, "opts", "test.opts: options.nodes must be an integer from 1 to 9, got number 0", map[string]any{"nodes": 0})
	wantThrow(t, obj, "opts", "test.opts: options.title must be a string, got true", map[string]any{"title": true})

	if _, thrown := call(obj.Get("propose"), obj, 3, "set x=1"); !thrown.IsUndefined() {
		t.Errorf("good propose threw %v", thrown.Get("message"))
	}
	res, thrown := call(obj.Get("opts"), obj)
	if !thrown.IsUndefined() || res.Get("nodes").Int() != 5 || res.Get("title").String() != "none" || res.Get("fast").Bool() {
		t.Errorf("default options: got %v, threw %v", res, thrown)
	}
	res, _ = call(obj.Get("opts"), obj, map[string]any{"nodes": 7, "title": "t", "fast": true})
	if res.Get("nodes").Int() != 7 || res.Get("title").String() != "t" || !res.Get("fast").Bool() {
		t.Errorf("given options: got %v", res)
	}
}

func TestAPIObject(t *testing.T) {
	api := newAPI()
	if api.Get("version").String() != version {
		t.Errorf("version: got %v", api.Get("version"))
	}
	// No DOM under node: create must still fail cleanly.
	wantThrow(t, api, "create", "raftlab.create: argument 1 (element) must be an Element, a CSS selector string or null, got number 42", 42)
	wantThrow(t, api, "create", "raftlab.create: argument 1 (element) must be an Element, a CSS selector string or null, got object", map[string]any{})
}

func TestReleasedFunctionsThrow(t *testing.T) {
	obj := newObject()
	ex := newExports(obj, "test")
	ex.fn("f", func(c *Call) (any, error) { return 1, nil })
	ex.release()
	wantThrow(t, obj, "f", "test.f: this object was destroyed")
}
