package repo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Bounds on reading: the size of one file, and the files one model reads.
const (
	maxFileSize = 1 << 20
	maxFiles    = 2000
)

// stamp identifies a version of a file: a long-running driver that calls
// again after an edit sees the new one.
type stamp struct {
	size  int64
	mtime time.Time
}

type cached struct {
	stamp stamp
	data  []byte
	err   error
}

// cache holds each file read once per process, by absolute path, while
// its size and modification time stay the same.
var cache struct {
	sync.Mutex
	files map[string]cached
}

var (
	errOutside = errors.New("outside the repository")
	errTooMany = errors.New("too many files read")
)

// read returns a file under the model's repository root, at most
// maxFileSize bytes, recording its stamp so that Load sees edits.
func (m *Model) read(path string) ([]byte, error) {
	abs, err := m.inside(path)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", abs)
	}
	st := stamp{info.Size(), info.ModTime()}
	m.mu.Lock()
	if _, seen := m.seen[abs]; !seen && len(m.seen) >= maxFiles {
		m.mu.Unlock()
		return nil, errTooMany
	}
	m.seen[abs] = st
	m.mu.Unlock()
	if st.size > maxFileSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", abs, maxFileSize)
	}
	cache.Lock()
	defer cache.Unlock()
	if c, ok := cache.files[abs]; ok && c.stamp == st {
		return c.data, c.err
	}
	data, err := os.ReadFile(abs)
	if err == nil && int64(len(data)) > maxFileSize {
		data, err = nil, fmt.Errorf("%s: larger than %d bytes", abs, maxFileSize)
	}
	if cache.files == nil {
		cache.files = map[string]cached{}
	}
	cache.files[abs] = cached{st, data, err}
	return data, err
}

// inside returns the absolute path of a file under the repository root,
// symbolic links resolved, or errOutside.
func (m *Model) inside(path string) (string, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(m.ModuleRoot, path)
	}
	path = filepath.Clean(path)
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", err
	}
	if !within(m.realRoot, real) {
		return "", fmt.Errorf("%s: %w", path, errOutside)
	}
	return path, nil
}

func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// list returns the entries of a directory under the root, recording its
// stamp: a file added or removed changes it.
func (m *Model) list(dir string) []os.DirEntry {
	abs, err := m.inside(dir)
	if err != nil {
		return nil
	}
	info, err := os.Stat(abs)
	if err != nil || !info.IsDir() {
		return nil
	}
	m.mu.Lock()
	m.seen[abs] = stamp{info.Size(), info.ModTime()}
	m.mu.Unlock()
	entries, _ := os.ReadDir(abs)
	return entries
}

// fresh reports whether no file or directory the model read has changed.
func (m *Model) fresh() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for path, st := range m.seen {
		info, err := os.Stat(path)
		if err != nil || (stamp{info.Size(), info.ModTime()}) != st {
			return false
		}
	}
	for path := range m.absent {
		if _, err := os.Stat(path); err == nil {
			return false
		}
	}
	return true
}

// exists reports whether a regular file is there, remembering a file
// found missing so that adding it later is seen.
func (m *Model) exists(path string) bool {
	abs, err := m.inside(path)
	if err == nil {
		if info, err := os.Stat(abs); err == nil && info.Mode().IsRegular() {
			return true
		}
	}
	if filepath.IsAbs(path) {
		m.mu.Lock()
		m.absent[filepath.Clean(path)] = true
		m.mu.Unlock()
	}
	return false
}

// Exists reports whether a regular file of the repository is at path.
func (m *Model) Exists(path string) bool { return m.exists(path) }
