//go:build js && wasm

package main

// The raftlab JavaScript API (documented for people in
// site/templates/api.html). See jsutil.go for the calling convention and
// widget.go for the cluster handle.
//
//	raftlab.version                   string
//	raftlab.create(element, options)  -> cluster handle
//	    element: an Element, a CSS selector string, or null (no view)
//	    options: {scenario, nodes, seed, actions, controls, large, title,
//	              play, speed, fallback, lang, explain, safe}
//	raftlab.search(options)           -> search handle (search.go)

import (
	"syscall/js"

	"honnef.co/go/js/dom/v2"
)

// version is the module's version; a build may set it with
// -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// newAPI builds the global raftlab object.
func newAPI() js.Value {
	api := newObject()
	api.Set("version", version)
	ex := newExports(api, "raftlab")
	ex.fn("create", create)
	ex.fn("search", search)
	return api
}

// Element returns argument i: an Element, or a CSS selector string that
// matches one.
func (c *Call) Element(i int, name string) dom.Element {
	v := c.arg(i)
	switch {
	case v.Type() == js.TypeString:
		el := js.Global().Get("document").Call("querySelector", v)
		if el.IsNull() {
			c.Fail("argument " + itoa(i+1) + " (" + name + "): no element matches the selector " + quote(v.String()))
		}
		return wrap(el)
	case v.Type() == js.TypeObject && isElement(v):
		return wrap(v)
	}
	c.argFail(i, name, "an Element, a CSS selector string or null", v)
	return nil
}

// isElement reports whether v is a DOM Element (false where there is no DOM,
// as under node).
func isElement(v js.Value) bool {
	ctor := js.Global().Get("Element")
	return ctor.Type() == js.TypeFunction && v.InstanceOf(ctor)
}

func newObject() js.Value { return js.Global().Get("Object").New() }
