package server

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/account"
)

// uploadSite is a test site served over loopback HTTP, with an editor
// signed in: what a real upload needs (cookies and the form's token).
func uploadSite(t *testing.T, configure func(*http.Server)) (srv *httptest.Server, cookies []*http.Cookie, token string) {
	t.Helper()
	s := newTestSite(t, siteFiles)
	s.addUser("maya", account.Editor, goodPassword)
	b := s.browser("127.0.0.1")
	b.login("maya", goodPassword)
	token = b.csrf("/admin/media")
	for _, c := range b.cookies {
		cookies = append(cookies, c)
	}
	srv = httptest.NewUnstartedServer(s.e)
	if configure != nil {
		configure(srv.Config)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, cookies, token
}

// uploadBody streams a multipart upload form of file, calling pause
// halfway through the file.
func uploadBody(token string, file []byte, pause func()) (io.Reader, string) {
	pr, pw := io.Pipe()
	w := multipart.NewWriter(pw)
	go func() {
		w.WriteField("_csrf", token)
		w.WriteField("image_alt", "Noise on a screen")
		part, _ := w.CreateFormFile("image", "noise.png")
		part.Write(file[:len(file)/2])
		if pause != nil {
			pause()
		}
		part.Write(file[len(file)/2:])
		pw.CloseWithError(w.Close())
	}()
	return pr, w.FormDataContentType()
}

func postUpload(t *testing.T, srv *httptest.Server, cookies []*http.Cookie, body io.Reader, contentType string) (int, string) {
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/admin/media", body)
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	req.Header.Set("Content-Type", contentType)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(page)
}

// noisePNG is a PNG of random pixels, which does not compress: w×h×4
// bytes and a little more.
func noisePNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = byte(r.Uint32())
	}
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.NoCompression}).Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestParallelUploadsTakeBoundedMemory sends 32 uploads of a 9.6 MB PNG
// at once, as the attack on the running site did (which took it to
// 1.26 GB), and samples the heap while they are served: the bodies are
// read a few at a time, kept on disk past 1 MB, and decoded one by one.
// It does not run in parallel: the heap is the process's.
func TestParallelUploadsTakeBoundedMemory(t *testing.T) {
	srv, cookies, token := uploadSite(t, nil)
	file := noisePNG(t, 1600, 1500)
	if len(file) < 9_600_000 || len(file) > 10<<20 {
		t.Fatalf("the PNG is %d bytes", len(file))
	}
	var base runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&base)

	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}()
	const uploads = 32
	codes := make(chan int, uploads)
	var wg sync.WaitGroup
	for range uploads {
		wg.Go(func() {
			body, contentType := uploadBody(token, file, nil)
			code, _ := postUpload(t, srv, cookies, body, contentType)
			codes <- code
		})
	}
	wg.Wait()
	close(stop)
	<-sampled
	close(codes)
	for code := range codes {
		if code != http.StatusSeeOther {
			t.Errorf("an upload was answered %d", code)
		}
	}
	grew := float64(peak.Load()-base.HeapInuse) / 1e6
	t.Logf("32 parallel uploads of %.1f MB: the heap grew by at most %.0f MB", float64(len(file))/1e6, grew)
	fmt.Printf("parallel uploads: 32 of %.1f MB, heap grew by at most %.0f MB\n", float64(len(file))/1e6, grew)
	if grew > 150 {
		t.Errorf("the heap grew by %.0f MB for 32 parallel uploads; want the few read at once and one decode (under 150 MB)", grew)
	}
}

// TestSlowUploadIsGivenTime sends an upload that pauses longer than the
// server's read and write timeouts, as a large image on a slow line does:
// it is stored, because upload routes have a deadline of their own.
func TestSlowUploadIsGivenTime(t *testing.T) {
	t.Parallel()
	srv, cookies, token := uploadSite(t, func(s *http.Server) {
		s.ReadTimeout, s.WriteTimeout = 300*time.Millisecond, 300*time.Millisecond
	})
	body, contentType := uploadBody(token, pngBytes(t, 400, 300), func() { time.Sleep(time.Second) })
	if code, page := postUpload(t, srv, cookies, body, contentType); code != http.StatusSeeOther {
		t.Errorf("slow upload: %d %.300s", code, page)
	}
}

// TestCutUploadIsExplained sends half an upload and stops: the answer
// says that the upload was cut off, not that a form token is missing.
func TestCutUploadIsExplained(t *testing.T) {
	t.Parallel()
	srv, cookies, token := uploadSite(t, nil)
	body, contentType := uploadBody(token, pngBytes(t, 400, 300), nil)
	whole, _ := io.ReadAll(body)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var head strings.Builder
	fmt.Fprintf(&head, "POST /admin/media HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: %s\r\nContent-Length: %d\r\n", contentType, len(whole))
	for _, c := range cookies {
		fmt.Fprintf(&head, "Cookie: %s=%s\r\n", c.Name, c.Value)
	}
	head.WriteString("\r\n")
	conn.Write([]byte(head.String()))
	conn.Write(whole[:len(whole)/2])
	conn.(*net.TCPConn).CloseWrite()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestTimeout || !strings.Contains(string(page), "stopped arriving before its end") {
		t.Errorf("cut upload: %d %.300s", resp.StatusCode, page)
	}
}

// TestArticleSavesDoNotWaitForUploads fills the gate of large uploads, as
// two slow uploads would: an article saved without an image (a small
// body) is answered at once, and a large upload finding no room to wait
// is refused with 503.
func TestArticleSavesDoNotWaitForUploads(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, siteFiles)
	g := &gate{slots: make(chan struct{}, 1), maxWaiting: 0, maxWait: time.Minute}
	s.opts.uploading = g
	s.rebuild()
	s.addUser("maya", account.Editor, goodPassword)
	b := s.browser("198.51.100.80")
	b.login("maya", goodPassword)
	g.slots <- struct{}{} // an upload in flight, the only one allowed

	rec := b.postMultipart("/admin/articles/new", "/admin/articles", articleForm("Saved while uploads wait", "Words.", "draft", ""), "", "", nil)
	assertStatus(t, rec, http.StatusSeeOther)
	rec = b.postMultipart("/admin/media", "/admin/media", url.Values{"image_alt": {"Noise"}}, "noise.png", "image/png", noisePNG(t, 700, 500))
	assertStatus(t, rec, http.StatusServiceUnavailable)
	<-g.slots
	rec = b.postMultipart("/admin/media", "/admin/media", url.Values{"image_alt": {"Noise"}}, "noise.png", "image/png", noisePNG(t, 700, 500))
	assertStatus(t, rec, http.StatusSeeOther)
}
