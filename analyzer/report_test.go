package analyzer

import "testing"

// TestRelateOnce: a call that is several steps of one image (a helper
// loading it into two clusters) relates its position once.
func TestRelateOnce(t *testing.T) {
	var f finding
	at := span{10, 20}
	f.relate(at, "%s here", "loaded")
	f.relate(at, "%s here", "loaded")
	f.relate(at, "%s here", "built")
	f.relate(span{}, "invalid")
	if len(f.related) != 2 {
		t.Fatalf("related = %v, want loaded and built at 10", f.related)
	}
	if r := f.related[0]; r.Pos != 10 || r.End != 20 {
		t.Errorf("related %v, want the span 10-20", r)
	}
}
