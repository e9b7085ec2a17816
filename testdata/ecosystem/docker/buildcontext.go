// Package docker holds what the Docker SDK suites share: the build context.
package docker

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
)

// BuildContext returns a tar stream of the Dockerfile in dir, the form
// ImageBuild takes its context in.
func BuildContext(dir string) (*bytes.Reader, error) {
	dockerfile, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Name: "Dockerfile", Mode: 0o644, Size: int64(len(dockerfile))}); err != nil {
		return nil, err
	}
	if _, err := tw.Write(dockerfile); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return bytes.NewReader(buf.Bytes()), nil
}
