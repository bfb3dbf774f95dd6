{{/* Helm's recommended labels, on every object the chart creates (never in selectors). */}}
{{- define "tcpfleet.standardLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}

{{/* The labels of the operator's own objects, as deploy/ sets them, plus Helm's. */}}
{{- define "tcpfleet.labels" -}}
app.kubernetes.io/name: tcpfleet-operator
{{ include "tcpfleet.standardLabels" . }}
{{- end }}

{{/* The name of a cluster-scoped object: clusterNamePrefix, then name. Call with (list name $). */}}
{{- define "tcpfleet.clusterName" -}}
{{ (index . 1).Values.clusterNamePrefix }}{{ index . 0 }}
{{- end }}

{{/* repository@digest when a digest is given, else repository:tag (tag defaults to appVersion). Call with (list image $). */}}
{{- define "tcpfleet.image" -}}
{{- $image := index . 0 -}}
{{- $root := index . 1 -}}
{{- if $image.digest -}}
{{ $image.repository }}@{{ $image.digest }}
{{- else -}}
{{ $image.repository }}:{{ $image.tag | default $root.Chart.AppVersion }}
{{- end -}}
{{- end }}

{{/*
A map as the operator's key=value,key=value setting (keys sorted, as range sorts them).
*/}}
{{- define "tcpfleet.labelPairs" -}}
{{- $pairs := list }}
{{- range $k, $v := . }}
{{- $pairs = append $pairs (printf "%s=%s" $k $v) }}
{{- end }}
{{- join "," $pairs }}
{{- end }}
