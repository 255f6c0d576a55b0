//go:build raftlab_pseudo

package words

// A pseudo-locale for tests, built only with -tags raftlab_pseudo: the
// language "qps" (the code pseudo-locales use) gives every key of English
// with its value wrapped in ⟦ ⟧. A page drawn in it shows at a glance, and
// to a test, any word that did not come from the table: it is the one
// without brackets. The browser test of the view builds the module with
// this tag (site/e2e/words_test.go); the site never does.

// Pseudo is the pseudo-locale's code.
const Pseudo = "qps"

func init() {
	wrapped := make(map[string]string, len(English.words))
	for k, v := range English.words {
		wrapped[k] = "⟦" + v + "⟧"
	}
	tables[Pseudo] = &Table{Lang: Pseudo, words: wrapped}
}
