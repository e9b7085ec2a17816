// Package v1 is a minimal stand-in for k8s.io/api/core/v1: only the types the
// imagetaglint test packages use, with the real field names, types and JSON
// tags (EphemeralContainer embeds EphemeralContainerCommon as upstream does).
package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// PullPolicy describes a policy for if/when to pull a container image.
type PullPolicy string

const (
	// PullAlways means that kubelet always attempts to pull the latest image.
	PullAlways PullPolicy = "Always"
	// PullNever means that kubelet never pulls an image, but only uses a local image.
	PullNever PullPolicy = "Never"
	// PullIfNotPresent means that kubelet pulls if the image isn't present on disk.
	PullIfNotPresent PullPolicy = "IfNotPresent"
)

// Protocol defines network protocols supported for things like container ports.
type Protocol string

const (
	ProtocolTCP Protocol = "TCP"
	ProtocolUDP Protocol = "UDP"
)

// RestartPolicy describes how the container should be restarted.
type RestartPolicy string

const (
	RestartPolicyAlways    RestartPolicy = "Always"
	RestartPolicyOnFailure RestartPolicy = "OnFailure"
	RestartPolicyNever     RestartPolicy = "Never"
)

// ServiceType describes ingress methods for a service.
type ServiceType string

const (
	ServiceTypeClusterIP ServiceType = "ClusterIP"
	ServiceTypeNodePort  ServiceType = "NodePort"
)

// EnvVar represents an environment variable present in a Container.
type EnvVar struct {
	Name  string `json:"name"`
	Value string `json:"value,omitempty"`
}

// ContainerPort represents a network port in a single container.
type ContainerPort struct {
	Name          string   `json:"name,omitempty"`
	HostPort      int32    `json:"hostPort,omitempty"`
	ContainerPort int32    `json:"containerPort"`
	Protocol      Protocol `json:"protocol,omitempty"`
}

// VolumeMount describes a mounting of a Volume within a container.
type VolumeMount struct {
	Name      string `json:"name"`
	ReadOnly  bool   `json:"readOnly,omitempty"`
	MountPath string `json:"mountPath"`
}

// HTTPGetAction describes an action based on HTTP Get requests.
type HTTPGetAction struct {
	Path string             `json:"path,omitempty"`
	Port intstr.IntOrString `json:"port"`
}

// ProbeHandler defines a specific action that should be taken in a probe.
type ProbeHandler struct {
	HTTPGet *HTTPGetAction `json:"httpGet,omitempty"`
}

// Probe describes a health check to be performed against a container.
type Probe struct {
	ProbeHandler        `json:",inline"`
	InitialDelaySeconds int32 `json:"initialDelaySeconds,omitempty"`
	PeriodSeconds       int32 `json:"periodSeconds,omitempty"`
}

// Container is a single application container to run within a pod.
type Container struct {
	Name            string          `json:"name"`
	Image           string          `json:"image,omitempty"`
	Command         []string        `json:"command,omitempty"`
	Args            []string        `json:"args,omitempty"`
	WorkingDir      string          `json:"workingDir,omitempty"`
	Ports           []ContainerPort `json:"ports,omitempty"`
	Env             []EnvVar        `json:"env,omitempty"`
	VolumeMounts    []VolumeMount   `json:"volumeMounts,omitempty"`
	LivenessProbe   *Probe          `json:"livenessProbe,omitempty"`
	ReadinessProbe  *Probe          `json:"readinessProbe,omitempty"`
	ImagePullPolicy PullPolicy      `json:"imagePullPolicy,omitempty"`
}

// EphemeralContainerCommon is a copy of all fields in Container to be
// inlined in EphemeralContainer.
type EphemeralContainerCommon struct {
	Name            string          `json:"name"`
	Image           string          `json:"image,omitempty"`
	Command         []string        `json:"command,omitempty"`
	Args            []string        `json:"args,omitempty"`
	WorkingDir      string          `json:"workingDir,omitempty"`
	Ports           []ContainerPort `json:"ports,omitempty"`
	Env             []EnvVar        `json:"env,omitempty"`
	VolumeMounts    []VolumeMount   `json:"volumeMounts,omitempty"`
	ImagePullPolicy PullPolicy      `json:"imagePullPolicy,omitempty"`
}

// EphemeralContainer is a temporary container added to an existing Pod.
type EphemeralContainer struct {
	EphemeralContainerCommon `json:",inline"`
	TargetContainerName      string `json:"targetContainerName,omitempty"`
}

// LocalObjectReference contains enough information to locate the referenced object.
type LocalObjectReference struct {
	Name string `json:"name,omitempty"`
}

// ConfigMapVolumeSource adapts a ConfigMap into a volume.
type ConfigMapVolumeSource struct {
	LocalObjectReference `json:",inline"`
}

// EmptyDirVolumeSource is an empty directory for a pod.
type EmptyDirVolumeSource struct{}

// VolumeSource represents the source location of a volume to mount.
type VolumeSource struct {
	ConfigMap *ConfigMapVolumeSource `json:"configMap,omitempty"`
	EmptyDir  *EmptyDirVolumeSource  `json:"emptyDir,omitempty"`
}

// Volume represents a named volume in a pod.
type Volume struct {
	Name         string `json:"name"`
	VolumeSource `json:",inline"`
}

// PodSpec is a description of a pod.
type PodSpec struct {
	Volumes             []Volume             `json:"volumes,omitempty"`
	InitContainers      []Container          `json:"initContainers,omitempty"`
	Containers          []Container          `json:"containers"`
	EphemeralContainers []EphemeralContainer `json:"ephemeralContainers,omitempty"`
	RestartPolicy       RestartPolicy        `json:"restartPolicy,omitempty"`
	ServiceAccountName  string               `json:"serviceAccountName,omitempty"`
}

// PodTemplateSpec describes the data a pod should have when created from a template.
type PodTemplateSpec struct {
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              PodSpec `json:"spec,omitempty"`
}

// Pod is a collection of containers that can run on a host.
type Pod struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              PodSpec `json:"spec,omitempty"`
}

// ServicePort contains information on service's port.
type ServicePort struct {
	Name       string             `json:"name,omitempty"`
	Protocol   Protocol           `json:"protocol,omitempty"`
	Port       int32              `json:"port"`
	TargetPort intstr.IntOrString `json:"targetPort,omitempty"`
	NodePort   int32              `json:"nodePort,omitempty"`
}

// ServiceSpec describes the attributes that a user creates on a service.
type ServiceSpec struct {
	Ports    []ServicePort     `json:"ports,omitempty"`
	Selector map[string]string `json:"selector,omitempty"`
	Type     ServiceType       `json:"type,omitempty"`
}

// Service is a named abstraction of software service.
type Service struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              ServiceSpec `json:"spec,omitempty"`
}

// ConfigMap holds configuration data for pods to consume.
type ConfigMap struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Data              map[string]string `json:"data,omitempty"`
}
