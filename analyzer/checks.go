package analyzer

import "github.com/imagetaglint/imagetaglint/analyzer/internal/knowledge"

// Check names are stable: they are the diagnostics' Category, the values of
// -disable and the names a suppression directive takes. Each check's
// constant sits in the file that defines it.

// checkDirective reports malformed or unused suppression directives. It
// cannot be disabled: a directive that suppresses nothing is a lie.
const checkDirective = "ignore-directive"

// flowTrigger is the syntax every check that follows image values needs:
// os/exec, the core API types, or a library whose APIs the knowledge
// table lists.
var flowTrigger = trigger{
	imports:  append([]string{"os/exec", corev1Path}, knowledge.Packages()...),
	literals: manifestImageKey,
	calls:    true,
}
