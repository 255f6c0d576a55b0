//go:build raftlab_pseudo

package words

// With -tags raftlab_pseudo, For knows the pseudo-locale "qps" (the code
// pseudo-locales use): English with every value wrapped in ⟦ ⟧ (Pseudo).
// The browser test of the view builds the module with this tag
// (site/e2e/words_test.go); the site never does.

func init() { tables["qps"] = Pseudo("qps", English) }
