package settings

import (
	"testing"
	"time"
)

func TestFormSettings(t *testing.T) {
	t.Parallel()
	good := Form{Name: " Dateline ", Tagline: "News", ZoneName: "Europe/London", ZoneLabel: "London Time", Comments: "approve", CloseAfterDays: "14", PageSize: "10"}
	s, errs := good.Settings()
	if errs != nil || s.Name != "Dateline" || s.Comments != ApproveComments || s.CloseAfterDays != 14 || s.PageSize != 10 {
		t.Fatalf("good form: %+v %v", s, errs)
	}
	if FormOf(s).PageSize != "10" {
		t.Error("FormOf lost the page size")
	}
	tests := []struct {
		name  string
		edit  func(*Form)
		field string
	}{
		{"no name", func(f *Form) { f.Name = " " }, "name"},
		{"unknown zone", func(f *Form) { f.ZoneName = "Mars/Olympus" }, "zone"},
		{"local zone", func(f *Form) { f.ZoneName = "Local" }, "zone"},
		{"no label", func(f *Form) { f.ZoneLabel = "" }, "zone_label"},
		{"policy", func(f *Form) { f.Comments = "maybe" }, "comments"},
		{"page size", func(f *Form) { f.PageSize = "1000" }, "page_size"},
		{"days", func(f *Form) { f.CloseAfterDays = "-1" }, "close_after_days"},
		{"not a number", func(f *Form) { f.PageSize = "ten" }, "page_size"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := good
			tc.edit(&f)
			if _, errs := f.Settings(); errs[tc.field] == "" || len(errs) != 1 {
				t.Errorf("got %v, want one error on %s", errs, tc.field)
			}
		})
	}
}

func TestCommentsOpen(t *testing.T) {
	t.Parallel()
	pub := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		s    Settings
		at   time.Time
		want bool
	}{
		{"no limit, years later", Settings{Comments: HoldComments}, pub.AddDate(5, 0, 0), true},
		{"closed", Settings{Comments: CloseComments}, pub, false},
		{"the day before the limit", Settings{Comments: HoldComments, CloseAfterDays: 7}, pub.AddDate(0, 0, 6), true},
		{"at the limit", Settings{Comments: HoldComments, CloseAfterDays: 7}, pub.AddDate(0, 0, 7), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.CommentsOpen(pub, tc.at); got != tc.want {
				t.Errorf("%+v at %v: got %v, want %v", tc.s, tc.at, got, tc.want)
			}
		})
	}
}
