// Package tutorials holds raftlab's tutorial chapters: one Markdown file per
// chapter per language (en/01-roles-terms-votes.md, …), the authors' guide
// (AUTHORING.md) and a minimal example chapter (examples/minimal.md). The
// words of the tutorial pages are in each language's words table
// (raftlab/raft/words, keys "tutorial.*"). The site builder renders
// them into build/site/tutorials/; raftlab/site/chapters reads and checks
// them. The format is described in AUTHORING.md.
//
// The tests of this package play every chapter's solution through the
// simulator and check its goals.
package tutorials

import "embed"

// Files holds AUTHORING.md, examples/ and the chapters of every language
// (a translation is a new directory of chapters; no code changes).
//
//go:embed AUTHORING.md examples */[0-9][0-9]-*.md
var Files embed.FS
