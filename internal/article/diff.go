package article

import "strings"

// DiffLine is one line of a comparison between two texts. Kind is "same",
// "removed" (only in the old text) or "added" (only in the new one).
type DiffLine struct {
	Kind string
	Text string
}

// maxDiffCells bounds the work and memory of LineDiff (8 bytes a cell);
// longer texts are shown whole, old against current.
const maxDiffCells = 1_000_000

// LineDiff compares two texts line by line, keeping the longest run of
// common lines, as revision views show them.
func LineDiff(old, current string) []DiffLine {
	a, b := strings.Split(old, "\n"), strings.Split(current, "\n")
	if len(a)*len(b) > maxDiffCells {
		out := make([]DiffLine, 0, len(a)+len(b))
		for _, l := range a {
			out = append(out, DiffLine{"removed", l})
		}
		for _, l := range b {
			out = append(out, DiffLine{"added", l})
		}
		return out
	}
	// lcs[i][j] is the length of the longest common subsequence of a[i:]
	// and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []DiffLine
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			out = append(out, DiffLine{"same", a[i]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, DiffLine{"removed", a[i]})
			i++
		default:
			out = append(out, DiffLine{"added", b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		out = append(out, DiffLine{"removed", a[i]})
	}
	for ; j < len(b); j++ {
		out = append(out, DiffLine{"added", b[j]})
	}
	return out
}
