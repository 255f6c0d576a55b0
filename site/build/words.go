package build

import (
	"html/template"

	"raftlab/raft/words"
)

// Every word a page shows comes from its language's words table
// (raftlab/raft/words, keys page.*): a template asks for it with
// {{.Word "page.nav"}}, or, for a sentence that holds markup, with
// {{.Say "page.index.embed-text" "iframe" (.Code "<iframe>") "api" (.Link "api.html" (.Word "page.index.embed-api"))}}:
// the sentence is escaped and its {placeholders} are filled with the
// fragments given, so that a translation moves a link or a key within its
// sentence without touching a template.

// table is the page's words table (English when none was set).
func (p Page) table() *words.Table {
	if p.Words != nil {
		return p.Words
	}
	return words.English
}

// Word returns the words of key in the page's language.
func (p Page) Word(key string) string { return p.table().Get(key) }

// Say returns the words of key as HTML, its placeholders filled from name,
// fragment pairs: a template.HTML goes in as it is (made by Code, Kbd, B or
// Link), anything else is escaped.
func (p Page) Say(key string, kv ...any) template.HTML {
	sentence := template.HTMLEscapeString(p.table().Get(key))
	return template.HTML(words.Fill(sentence, func(name string) (string, bool) {
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i] != name {
				continue
			}
			if h, ok := kv[i+1].(template.HTML); ok {
				return string(h), true
			}
			s, _ := kv[i+1].(string)
			return template.HTMLEscapeString(s), true
		}
		return "", false
	}))
}

// Code is text as code: <code>text</code> (commands, file names, addresses).
func (p Page) Code(text string) template.HTML { return wrap("code", text) }

// Kbd is a key of the keyboard: <kbd>text</kbd>.
func (p Page) Kbd(text string) template.HTML { return wrap("kbd", text) }

// B names a control of the view in bold: <b>the words of key</b>.
func (p Page) B(key string) template.HTML { return wrap("b", p.Word(key)) }

// Link is a link to href (a page of the site, relative to the page) with
// text (a string, escaped, or HTML from Code).
func (p Page) Link(href string, text any) template.HTML {
	inner, ok := text.(template.HTML)
	if !ok {
		s, _ := text.(string)
		inner = template.HTML(template.HTMLEscapeString(s))
	}
	return template.HTML(`<a href="` + template.HTMLEscapeString(href) + `">` + string(inner) + `</a>`)
}

func wrap(tag, text string) template.HTML {
	return template.HTML("<" + tag + ">" + template.HTMLEscapeString(text) + "</" + tag + ">")
}
