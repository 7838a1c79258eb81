// Package static embeds the site's CSS, scripts and images so the binary
// serves them from any working directory.
package static

import "embed"

// FS holds css/, js/ and img/.
//
//go:embed css img
var FS embed.FS
