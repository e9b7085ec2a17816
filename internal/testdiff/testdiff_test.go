package testdiff

import "testing"

func TestFirstLine(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{"x\ny", "x\ny", ""},
		{"x\ny", "x\nz", "line 2:\n\thave: \"y\"\n\twant: \"z\""},
		{"x", "x\n", "line 2:\n\thave: (end)\n\twant: \"\""},
		{"x\ny", "x", "line 2:\n\thave: \"y\"\n\twant: (end)"},
	} {
		if got := FirstLine(tc.a, tc.b, "have", "want"); got != tc.want {
			t.Errorf("FirstLine(%q, %q) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
	if got := FirstLine("a", "b", "README", "make demo"); got != "line 1:\n\tREADME:    \"a\"\n\tmake demo: \"b\"" {
		t.Errorf("names are not aligned: %q", got)
	}
}
