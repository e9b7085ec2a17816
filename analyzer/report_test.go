package analyzer

import "testing"

// TestRelateOnce: a call that is several steps of one image (a helper
// loading it into two clusters) relates its position once.
func TestRelateOnce(t *testing.T) {
	var f finding
	f.relate(10, "%s here", "loaded")
	f.relate(10, "%s here", "loaded")
	f.relate(10, "%s here", "built")
	f.relate(0, "invalid")
	if len(f.related) != 2 {
		t.Errorf("related = %v, want loaded and built at 10", f.related)
	}
}
