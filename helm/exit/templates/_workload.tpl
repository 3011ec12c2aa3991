{{/*
The pod template every ExIt service shares: (dict "root" $ "component" "task-service" "values" .Values.taskService
"port" 8081 "env" (list ...) "gpu" dict "volumes" ... ). Config comes from the component's ConfigMap mounted at
/app/config; env adds the secrets (by reference) and per-pod values.
*/}}
{{- define "exit.podTemplate" -}}
{{- $root := .root -}}
{{- $v := .values -}}
{{- $gpu := .gpu | default dict -}}
metadata:
  labels:
    {{- include "exit.labels" (dict "root" $root "component" .component) | nindent 4 }}
  annotations:
    # Roll the pods when their configuration changes.
    checksum/config: {{ include (print $root.Template.BasePath "/configmaps.yaml") $root | sha256sum }}
spec:
  {{- include "exit.imagePullSecrets" $root | nindent 2 }}
  {{- include "exit.podSecurityContext" . | nindent 2 }}
  {{- with $v.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ .component }}
      image: {{ include "exit.image" (dict "root" $root "repository" $v.image.repository "gpu" $gpu.enabled "suffix" $gpu.imageTagSuffix) }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      {{- include "exit.containerSecurityContext" . | nindent 6 }}
      ports:
        - name: http
          containerPort: {{ .port }}
          protocol: TCP
      env:
        {{- with .env }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
        {{- include "exit.authEnv" (dict "root" $root "gateway" (eq .component "gateway")) | nindent 8 }}
        {{- with $v.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- include "exit.probes" (dict "startupFailures" .startupFailures) | nindent 6 }}
      {{- include "exit.resources" (dict "resources" $v.resources "gpu" $gpu) | nindent 6 }}
      volumeMounts:
        - name: config
          mountPath: /app/config
          readOnly: true
        - name: tmp
          mountPath: /tmp
        {{- with .volumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ include "exit.componentName" (dict "root" $root "component" .component) }}
    - name: tmp
      emptyDir: {}
{{- end -}}
