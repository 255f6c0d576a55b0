package sim

import (
	"errors"
	"strconv"
)

// Refusal is an action the cluster will not do, for a reason a learner can
// meet (a message no longer in flight, a crashed server, a command typed
// wrong): its words are refusal.KEY of the words tables, so that a page
// says it in the reader's language (Words.Refused); Error gives the
// English. Mistakes of a program (an argument out of range, a malformed
// action) stay plain English errors.
type Refusal struct {
	Key string   // the words' key, without "refusal."
	KV  []string // the placeholders' name, value pairs
}

func (r *Refusal) Error() string { return English.Refusal(r) }

// Refusal says r in these words.
func (wd *Words) Refusal(r *Refusal) string { return wd.Say("refusal."+r.Key, r.KV...) }

// Refused words err in this language when it holds a Refusal: said is the
// refusal alone, message the whole error — with the place of the action
// in a list when err is an *ActionError, as its English Error reads. r is
// nil, and said and message are "", for any other error: a program's
// mistake, or a scenario's setup that cannot run (its author's), whose
// English message is for its author.
func (wd *Words) Refused(err error) (r *Refusal, said, message string) {
	var ae *ActionError
	inList := errors.As(err, &ae)
	if !errors.As(err, &r) || inList && ae.Setup {
		return nil, "", ""
	}
	said = wd.Refusal(r)
	message = said
	if inList {
		message = wd.Say("refusal.action", "n", strconv.Itoa(ae.N), "action", FormatAction(ae.Action), "why", said)
	}
	return r, said, message
}

// ErrorText is err as a person reads it: a refusal in these words (with
// the action's place in a list), any other error in English.
func (wd *Words) ErrorText(err error) string {
	if r, _, message := wd.Refused(err); r != nil {
		return message
	}
	return err.Error()
}

func refuse(key string, kv ...string) *Refusal { return &Refusal{Key: key, KV: kv} }
