// Package site holds the files of the raftlab web site: page templates
// (templates/*.html, Go html/template) and static files copied as they are
// (static/). The builder in site/build turns them into build/site/.
package site

import "embed"

// Files holds templates/ and static/.
//
//go:embed templates static
var Files embed.FS
