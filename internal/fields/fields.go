// Package fields holds what every form of the site shares: what is wrong
// with its fields, to be shown beside each. Every domain package that
// checks a form (article, comment, account, settings, media) answers with
// it. It must not import HTTP, SQL or template code.
package fields

// Errors maps a form field to what is wrong with it, in words for the
// person filling it in; nil or empty means nothing is.
type Errors map[string]string
