package manifest

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkContainers shows that scanning grows linearly with the size of
// a manifest format: ns/byte stays flat from 64 KiB to 4 MiB.
func BenchmarkContainers(b *testing.B) {
	container := "  - name: sidecar\n    image: busybox\n    args: [\"%s\", \"--port=%d\"]\n"
	for _, size := range []int{64 << 10, 1 << 20, 4 << 20} {
		text := "spec:\n  containers:\n" + strings.Repeat(container, size/len(container)) + "  - name: ds\n    image: localhost/ds:e2e\n"
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if cs := Containers(text, Printf|Template); len(cs) == 0 {
					b.Fatal("no image found")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(text)), "ns/byte")
		})
	}
}
