package server

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/audit"
)

// pngBytes is a real PNG of w×h pixels.
func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, 0, color.RGBA{200, uint8(x), 40, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// postMultipart posts fields and one file as multipart/form-data, with the
// form token from page.
func (b *browser) postMultipart(page, target string, fields url.Values, fileName, contentType string, file []byte) *httptest.ResponseRecorder {
	b.s.t.Helper()
	fields.Set("_csrf", b.csrf(page))
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	if fileName != "" {
		h := make(map[string][]string)
		h["Content-Disposition"] = []string{`form-data; name="image"; filename="` + fileName + `"`}
		h["Content-Type"] = []string{contentType}
		part, _ := w.CreatePart(h)
		part.Write(file)
	}
	w.Close()
	req := httptest.NewRequest(http.MethodPost, target, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

func TestImageUploads(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	s.addUser("maya", "editor", goodPassword)
	b := s.browser("198.51.100.90")
	b.login("maya", goodPassword)
	ctx := context.Background()
	photo := pngBytes(t, 40, 30)

	// A real image is kept by its hash and served for a year.
	rec := b.postMultipart("/admin/media", "/admin/media", url.Values{"image_alt": {"A red strip"}, "image_caption": {"Sunset"}}, "x.png", "image/png", photo)
	assertStatus(t, rec, http.StatusSeeOther)
	list, _ := s.store.MediaList(ctx, 10, 0)
	if len(list) != 1 || list[0].Width != 40 || list[0].Format != "png" || list[0].Alt != "A red strip" {
		t.Fatalf("library: %+v", list)
	}
	img := list[0]
	rec = s.get(img.Path())
	assertStatus(t, rec, http.StatusOK)
	if rec.Header().Get("Content-Type") != "image/png" || rec.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("media headers: %v", rec.Header())
	}
	if got, _ := io.ReadAll(rec.Body); !bytes.Equal(got, photo) {
		t.Error("served image differs from the upload")
	}
	assertContains(t, body(t, b.get("/admin/media")), "![A red strip]("+img.Path()+` &#34;Sunset&#34;)`)

	// The same file again takes the new description.
	rec = b.postMultipart("/admin/media", "/admin/media", url.Values{"image_alt": {"A red strip, again"}}, "y.png", "image/png", photo)
	assertStatus(t, rec, http.StatusSeeOther)
	if list, _ := s.store.MediaList(ctx, 10, 0); len(list) != 1 || list[0].Alt != "A red strip, again" {
		t.Errorf("re-upload: %+v", list)
	}
	// Refused: a renamed text file, no description, an oversize file.
	for _, tc := range []struct {
		name, file, ctype string
		data              []byte
		fields            url.Values
		msg               string
	}{
		{"text named .jpg", "photo.jpg", "image/jpeg", []byte("this is not a picture, only text"), url.Values{"image_alt": {"Kept alt"}}, "not a JPEG, PNG, WebP or GIF"},
		{"no alt", "x.png", "image/png", photo, url.Values{"image_caption": {"Kept caption"}}, "Please describe the image"},
		{"over 10 MB", "big.png", "image/png", append(bytes.Clone(photo), make([]byte, 10<<20)...), url.Values{"image_alt": {"Kept alt"}}, "larger than 10 MB"},
		{"no file", "", "", nil, url.Values{"image_alt": {"Kept alt"}}, "Please choose an image file."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := b.postMultipart("/admin/media", "/admin/media", tc.fields, tc.file, tc.ctype, tc.data)
			assertStatus(t, rec, http.StatusUnprocessableEntity)
			html := body(t, rec)
			assertContains(t, html, tc.msg, "The image was not uploaded")
			for _, v := range tc.fields {
				assertContains(t, html, `value="`+v[0]+`"`)
			}
		})
	}
	if list, _ := s.store.MediaList(ctx, 10, 0); len(list) != 1 {
		t.Errorf("refused uploads were recorded: %d images", len(list))
	}
	rec = b.postMultipart("/admin/media", "/admin/media", url.Values{"image_alt": {"x"}}, "huge.png", "image/png", make([]byte, 13<<20))
	assertStatus(t, rec, http.StatusRequestEntityTooLarge)

	// From the article form: the image goes into the story and leads it.
	form := articleForm("Harbour Lights", "The lights came on.", "now", "")
	form.Set("image_alt", "Harbour at dusk")
	form.Set("image_credit", "Staff photographer")
	form.Set("image_lead", "1")
	other := pngBytes(t, 20, 10)
	rec = b.postMultipart("/admin/articles/new", "/admin/articles", form, "dusk.png", "image/png", other)
	assertStatus(t, rec, http.StatusSeeOther)
	id, _ := strconv.ParseInt(savedID.FindStringSubmatch(rec.Header().Get("Location"))[1], 10, 64)
	a, _ := s.store.ArticleByID(ctx, id)
	if a.Lead.Path == "" || !strings.Contains(a.Body, "![Harbour at dusk]("+a.Lead.Path+")") {
		t.Fatalf("article after upload: lead %+v, body %q", a.Lead, a.Body)
	}
	// The upload is in the audit log, as one from the image library is.
	entries, _ := s.store.AuditLog(ctx, 20, 0)
	uploads := 0
	for _, e := range entries {
		if e.Action == audit.MediaUpload && e.Detail == "Harbour at dusk" && strings.HasSuffix(a.Lead.Path, strings.TrimPrefix(e.Target, "image ")) {
			uploads++
		}
	}
	if uploads != 1 {
		t.Errorf("the image uploaded with the article has %d audit entries, want 1", uploads)
	}
	page := body(t, s.get(a.Path(s.site().Zone)))
	assertContains(t, page, `<figure class="lead-image"><img src="`+a.Lead.Path+`" alt="Harbour at dusk" width="20" height="10">`,
		`<span class="credit">Staff photographer</span>`, `<img src="`+a.Lead.Path+`" alt="Harbour at dusk">`)
	assertContains(t, body(t, s.get("/")), `<img src="`+a.Lead.Path+`" alt="" width="20" height="10" loading="lazy">`)
	// A lead image makes the link preview a large one.
	assertContains(t, page, `<meta property="og:image" content="`+testBaseURL+a.Lead.Path+`">`,
		`<meta name="twitter:card" content="summary_large_image">`, `<meta property="og:image:alt" content="Harbour at dusk">`)
	if docs := structuredData(t, page); docs[0]["image"].([]any)[0] != testBaseURL+a.Lead.Path {
		t.Errorf("NewsArticle image: %v", docs[0]["image"])
	}

	// A refused article save keeps its text and stores no image.
	bad := articleForm("", "Text that must survive.", "now", "")
	bad.Set("image_alt", "Kept")
	rec = b.postMultipart("/admin/articles/new", "/admin/articles", bad, "dusk2.png", "image/png", pngBytes(t, 5, 5))
	assertStatus(t, rec, http.StatusUnprocessableEntity)
	assertContains(t, body(t, rec), "Text that must survive.", `value="Kept"`, "Please write a headline.")
	if list, _ := s.store.MediaList(ctx, 10, 0); len(list) != 2 {
		t.Errorf("got %d images, want 2", len(list))
	}

	// Only stored names are served.
	for _, target := range []string{"/media/" + strings.ToUpper(img.FileName()), "/media/..%2fsite.db", "/media/x.png", "/media/" + img.Hash + ".svg",
		"/media/%2e%2e%2fsite.db", "/media/..%5csite.db", "/media/" + img.FileName() + "%00", "/media/%00", "/media/../../go.mod", "/media/" + img.Hash + ".png/.."} {
		assertStatus(t, s.get(target), http.StatusNotFound)
	}
	// Anonymous uploads are sent to sign in before their body is read, and
	// newsroom routes without uploads keep the small limit.
	anon := s.browser("198.51.100.91")
	rec = anon.postMultipart("/admin/login", "/admin/media", url.Values{"image_alt": {"x"}}, "big.png", "image/png", make([]byte, 11<<20))
	assertStatus(t, rec, http.StatusSeeOther)
	if !strings.HasPrefix(rec.Header().Get("Location"), "/admin/login") {
		t.Errorf("anonymous upload: Location %q", rec.Header().Get("Location"))
	}
	rec = b.postMultipart("/admin", "/admin/articles/1/notes", url.Values{"kind": {"update"}, "body": {strings.Repeat("x", 100<<10)}}, "", "", nil)
	assertStatus(t, rec, http.StatusRequestEntityTooLarge)
	// Public forms still take small bodies only.
	huge := url.Values{"name": {"A"}, "body": {strings.Repeat("x", 70<<10)}}
	assertStatus(t, s.postForm(harbourPath+"/comments", huge, nil), http.StatusRequestEntityTooLarge)
}
