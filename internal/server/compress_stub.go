package server

// TEMPORARY STUB for the page cache (cache.go) until compress.go lands.
// Whoever adds negotiateEncoding and compressBytes in compress.go: DELETE
// THIS FILE in the same commit.

import (
	"bytes"
	"compress/gzip"
	"strings"
)

func negotiateEncoding(acceptEncoding string) string {
	if strings.Contains(acceptEncoding, "gzip") {
		return "gzip"
	}
	return ""
}

func compressBytes(encoding string, body []byte) ([]byte, error) {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(body)
	w.Close()
	return b.Bytes(), nil
}
