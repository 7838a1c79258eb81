package demo

import (
	"context"
	"fmt"
	"sync"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/comment"
)

// Batch is a run of consecutive stories, rendered and ready to store.
type Batch struct {
	Articles []article.Article
	// Comments[i] are the comments of Articles[i], oldest first, without
	// their ArticleID.
	Comments [][]comment.Comment
}

// Run writes every story, renders its Markdown with article.Render on
// workers goroutines, and hands them to save in batches of size stories,
// oldest first, one call at a time on the calling goroutine. It stops at
// the first error from save or the first cancellation of ctx.
func (g *Generator) Run(ctx context.Context, workers, size int, save func(Batch) error) error {
	workers, size = max(workers, 1), max(size, 1)
	batches := (g.Len() + size - 1) / size
	if batches == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)

	// Each batch has its own channel, so that batches are saved in order
	// whichever worker finishes first; the window bounds how many are
	// built ahead of the saving (and so the memory held).
	done := make([]chan result, batches)
	for k := range done {
		done[k] = make(chan result, 1)
	}
	window := make(chan struct{}, 2*workers)
	jobs := make(chan int)
	go feedJobs(ctx, batches, window, jobs)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for k := range jobs {
				b, err := g.batch(k*size, min((k+1)*size, g.Len()))
				done[k] <- result{b, err}
			}
		})
	}
	defer func() {
		cancel() // stops the feeding, so that the workers end
		wg.Wait()
	}()

	for k := range batches {
		var res result
		select {
		case res = <-done[k]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if res.err != nil {
			return res.err
		}
		if err := save(res.batch); err != nil {
			return err
		}
		<-window
	}
	return nil
}

// feedJobs sends the batch numbers to jobs, each once the window has room
// for it, until ctx ends; then closes jobs.
func feedJobs(ctx context.Context, batches int, window chan<- struct{}, jobs chan<- int) {
	defer close(jobs)
	for k := range batches {
		select {
		case window <- struct{}{}:
		case <-ctx.Done():
			return
		}
		select {
		case jobs <- k:
		case <-ctx.Done():
			return
		}
	}
}

type result struct {
	batch Batch
	err   error
}

// batch writes and renders the stories from..to-1.
func (g *Generator) batch(from, to int) (Batch, error) {
	b := Batch{Articles: make([]article.Article, 0, to-from), Comments: make([][]comment.Comment, 0, to-from)}
	for i := from; i < to; i++ {
		a, comments := g.Story(i)
		var err error
		if a.HTML, err = article.Render(a.Body); err != nil {
			return Batch{}, fmt.Errorf("demo: render article %d: %w", i, err)
		}
		b.Articles = append(b.Articles, a)
		b.Comments = append(b.Comments, comments)
	}
	return b, nil
}
