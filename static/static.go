// Package static embeds the site's CSS and images so the binary serves them
// from any working directory. It holds files only and imports nothing of
// the project.
package static

import "embed"

// FS holds css/, js/ and img/.
//
//go:embed css img
var FS embed.FS
