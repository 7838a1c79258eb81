// Package static embeds the site's CSS, images and scripts so the binary serves them
// from any working directory. It holds files only and imports nothing of
// the project.
package static

import "embed"

// FS holds css/, img/ and js/.
//
//go:embed css img js
var FS embed.FS
