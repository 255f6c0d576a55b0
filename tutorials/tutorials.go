// Package tutorials holds raftlab's tutorial chapters: one Markdown file per
// chapter per language (en/01-roles-terms-votes.md, …), each language's
// page words (en/words.txt), the authors' guide (AUTHORING.md) and a
// minimal example chapter (examples/minimal.md). The site builder renders
// them into build/site/tutorials/; raftlab/site/chapters reads and checks
// them. The format is described in AUTHORING.md.
//
// The tests of this package play every chapter's solution through the
// simulator and check its goals.
package tutorials

import "embed"

// Files holds AUTHORING.md, examples/ and one directory per language.
//
//go:embed AUTHORING.md en examples
var Files embed.FS
