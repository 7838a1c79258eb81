// Package content embeds the sample articles and comments, so that a
// binary run outside the source tree still starts with a site to read. It
// holds files only; its test may import internal/article, nothing else of
// the project.
package content

import "embed"

// FS holds the sample articles (*.md) and sample-comments.yaml.
//
//go:embed *.md sample-comments.yaml
var FS embed.FS
