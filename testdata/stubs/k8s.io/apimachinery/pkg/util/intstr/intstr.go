// Package intstr is a minimal stand-in for k8s.io/apimachinery/pkg/util/intstr.
package intstr

import (
	"encoding/json"
	"strconv"
)

// Type represents the stored type of IntOrString.
type Type int64

const (
	Int    Type = iota // The IntOrString holds an int.
	String             // The IntOrString holds a string.
)

// IntOrString is a type that can hold an int32 or a string.
type IntOrString struct {
	Type   Type
	IntVal int32
	StrVal string
}

// FromInt32 creates an IntOrString object with an int32 value.
func FromInt32(val int32) IntOrString { return IntOrString{Type: Int, IntVal: val} }

// FromInt creates an IntOrString object with an int value.
func FromInt(val int) IntOrString { return FromInt32(int32(val)) }

// FromString creates an IntOrString object with a string value.
func FromString(val string) IntOrString { return IntOrString{Type: String, StrVal: val} }

// String returns the string value, or the Itoa of the int value.
func (i *IntOrString) String() string {
	if i.Type == String {
		return i.StrVal
	}
	return strconv.Itoa(int(i.IntVal))
}

// MarshalJSON implements the json.Marshaller interface.
func (i IntOrString) MarshalJSON() ([]byte, error) {
	if i.Type == String {
		return json.Marshal(i.StrVal)
	}
	return json.Marshal(i.IntVal)
}
