{{/* Chart name. */}}
{{- define "exit.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-wide name prefix. */}}
{{- define "exit.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of a component's resources: (dict "root" $ "component" "task-service"). */}}
{{- define "exit.componentName" -}}
{{- printf "%s-%s" (include "exit.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "exit.selectorLabels" -}}
app.kubernetes.io/name: {{ include "exit.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "exit.labels" -}}
{{ include "exit.selectorLabels" . }}
app.kubernetes.io/part-of: exit
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* An ExIt image: (dict "root" $ "repository" "exit/gateway" "gpu" false "suffix" "-gpu"). */}}
{{- define "exit.image" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.image.tag -}}
{{- if .gpu }}{{ $tag = printf "%s%s" $tag .suffix }}{{ end -}}
{{- if .root.Values.global.imageRegistry -}}
{{- printf "%s/%s:%s" .root.Values.global.imageRegistry .repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "exit.imagePullSecrets" -}}
{{- with .Values.global.imagePullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The database host: the bundled StatefulSet's Service or the external host. */}}
{{- define "exit.databaseHost" -}}
{{- if .Values.postgresql.bundled.enabled -}}
{{- include "exit.componentName" (dict "root" . "component" "postgresql") -}}
{{- else -}}
{{- required "postgresql.external.host is required when postgresql.bundled.enabled is false" .Values.postgresql.external.host -}}
{{- end -}}
{{- end -}}

{{/* In-cluster URL of a service: (dict "root" $ "component" "task-service" "port" 8081). */}}
{{- define "exit.url" -}}
{{- printf "http://%s:%v" (include "exit.componentName" (dict "root" .root "component" .component)) .port -}}
{{- end -}}

{{/*
Environment every ExIt container gets from auth.existingSecret: the internal service token (all services) and the
API keys (gateway only); without them the gateway and the services refuse to start. Adding another secret variable
is one entry here.
*/}}
{{- define "exit.authEnv" -}}
{{- if .root.Values.auth.existingSecret }}
- name: EXIT_INTERNAL_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.auth.existingSecret }}
      key: {{ .root.Values.auth.internalTokenKey }}
{{- if .gateway }}
- name: EXIT_GATEWAY_API_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.auth.existingSecret }}
      key: {{ .root.Values.auth.apiKeysKey }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Actuator probes on the container's http port; startup gives the model time to load. */}}
{{- define "exit.probes" -}}
startupProbe:
  httpGet:
    path: /actuator/health/liveness
    port: http
  periodSeconds: 5
  failureThreshold: {{ .startupFailures | default 36 }}
livenessProbe:
  httpGet:
    path: /actuator/health/liveness
    port: http
  periodSeconds: 10
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /actuator/health/readiness
    port: http
  periodSeconds: 5
  failureThreshold: 3
{{- end -}}

{{/* Pod and container security: the images run as uid 10001. */}}
{{- define "exit.podSecurityContext" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: 10001
  runAsGroup: 10001
  fsGroup: 10001
{{- end -}}

{{- define "exit.containerSecurityContext" -}}
securityContext:
  allowPrivilegeEscalation: false
  capabilities:
    drop: [ALL]
{{- end -}}

{{/* Container resources, with GPUs added (requests and limits) when gpu.enabled. */}}
{{- define "exit.resources" -}}
{{- $res := deepCopy (.resources | default dict) -}}
{{- if .gpu.enabled -}}
{{- $limits := get $res "limits" | default dict -}}
{{- $requests := get $res "requests" | default dict -}}
{{- $_ := set $limits .gpu.resourceName (.gpu.count | toString) -}}
{{- $_ := set $requests .gpu.resourceName (.gpu.count | toString) -}}
{{- $_ := set $res "limits" $limits -}}
{{- $_ := set $res "requests" $requests -}}
{{- end -}}
resources:
  {{- toYaml $res | nindent 2 }}
{{- end -}}

{{- define "exit.databasePort" -}}
{{- if .Values.postgresql.bundled.enabled }}5432{{ else }}{{ .Values.postgresql.external.port }}{{ end -}}
{{- end -}}
