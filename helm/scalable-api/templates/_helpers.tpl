{{/* Names, labels and the pieces every service's Deployment shares. */}}

{{- define "scalable-api.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "scalable-api.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* <fullname>-<component>; call with (dict "root" $ "component" "gateway") */}}
{{- define "scalable-api.componentName" -}}
{{- printf "%s-%s" (include "scalable-api.fullname" .root) .component -}}
{{- end -}}

{{- define "scalable-api.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{ include "scalable-api.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: scalable-api
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end -}}

{{- define "scalable-api.selectorLabels" -}}
app.kubernetes.io/name: {{ include "scalable-api.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Secret holding IDENTITY_SIGNING_SECRET, POSTGRES_PASSWORD and the bootstrap admin's credentials. */}}
{{- define "scalable-api.secretName" -}}
{{- default (include "scalable-api.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* <registry>/<repository>:<tag>[-native] for a service; fails on an unpinned tag. */}}
{{- define "scalable-api.serviceImage" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.image.tag -}}
{{- if eq $tag "latest" -}}
{{- fail "image.tag must be a pinned version, not latest" -}}
{{- end -}}
{{- if eq .root.Values.image.variant "native" -}}
{{- $tag = printf "%s-native" $tag -}}
{{- end -}}
{{- if .root.Values.image.registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" .root.Values.image.registry) .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "scalable-api.thirdPartyImage" -}}
{{- printf "%s/%s:%s" .registry .repository .tag -}}
{{- end -}}

{{- define "scalable-api.postgresHost" -}}
{{- if .Values.postgresql.enabled -}}
{{- include "scalable-api.componentName" (dict "root" . "component" "postgresql") -}}
{{- else -}}
{{- required "externalDatabase.host is required when postgresql.enabled is false" .Values.externalDatabase.host -}}
{{- end -}}
{{- end -}}

{{- define "scalable-api.postgresPort" -}}
{{- if .Values.postgresql.enabled -}}5432{{- else -}}{{ .Values.externalDatabase.port }}{{- end -}}
{{- end -}}

{{- define "scalable-api.postgresDatabase" -}}
{{- if .Values.postgresql.enabled -}}{{ .Values.postgresql.database }}{{- else -}}{{ .Values.externalDatabase.database }}{{- end -}}
{{- end -}}

{{- define "scalable-api.postgresUser" -}}
{{- if .Values.postgresql.enabled -}}{{ .Values.postgresql.username }}{{- else -}}{{ .Values.externalDatabase.username }}{{- end -}}
{{- end -}}

{{- define "scalable-api.redisHost" -}}
{{- if .Values.redis.enabled -}}
{{- include "scalable-api.componentName" (dict "root" . "component" "redis") -}}
{{- else -}}
{{- required "externalRedis.host is required when redis.enabled is false" .Values.externalRedis.host -}}
{{- end -}}
{{- end -}}

{{- define "scalable-api.redisPort" -}}
{{- if .Values.redis.enabled -}}6379{{- else -}}{{ .Values.externalRedis.port }}{{- end -}}
{{- end -}}

{{/* True when clients give Redis a password: always to the chart's own Redis, to an external one when set. */}}
{{- define "scalable-api.redisAuth" -}}
{{- if or .Values.redis.enabled .Values.redis.auth.password .Values.redis.auth.existingSecret -}}true{{- end -}}
{{- end -}}

{{/* The Secret holding the Redis password: redis.auth.existingSecret, else the chart's <fullname>-redis. */}}
{{- define "scalable-api.redisSecretName" -}}
{{- default (include "scalable-api.componentName" (dict "root" . "component" "redis")) .Values.redis.auth.existingSecret -}}
{{- end -}}

{{- define "scalable-api.redisSecretKey" -}}
{{- ternary .Values.redis.auth.existingSecretKey "REDIS_PASSWORD" (not (empty .Values.redis.auth.existingSecret)) -}}
{{- end -}}

{{/* An env entry named .name with the Redis password from its Secret; call with (dict "root" $ "name" "REDIS_PASSWORD"). */}}
{{- define "scalable-api.redisPasswordEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "scalable-api.redisSecretName" .root }}
      key: {{ include "scalable-api.redisSecretKey" .root }}
{{- end -}}

{{/* The Secret with the CA that signed an external Redis's TLS certificate, or empty. */}}
{{- define "scalable-api.redisCaSecret" -}}
{{- if and (not .Values.redis.enabled) .Values.externalRedis.tls.enabled -}}
{{- .Values.externalRedis.tls.caSecret -}}
{{- end -}}
{{- end -}}

{{/* True when ServiceMonitors and the PrometheusRule are rendered (see monitoring.prometheusOperator). */}}
{{- define "scalable-api.prometheusOperator" -}}
{{- $mode := .Values.monitoring.prometheusOperator | toString -}}
{{- if eq $mode "true" -}}true
{{- else if eq $mode "auto" -}}
{{- if .Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor" -}}true{{- end -}}
{{- end -}}
{{- end -}}

{{/* The Prometheus KEDA queries: as configured, else the Prometheus Operator's prometheus-operated Service. */}}
{{- define "scalable-api.kedaPrometheus" -}}
{{- if .Values.keda.prometheusServerAddress -}}
{{- .Values.keda.prometheusServerAddress -}}
{{- else -}}
http://prometheus-operated.monitoring.svc:9090
{{- end -}}
{{- end -}}

{{/* Labels the Prometheus Operator selects on. */}}
{{- define "scalable-api.monitoringLabels" -}}
{{- with .Values.monitoring.labels -}}
{{ toYaml . }}
{{- end -}}
{{- end -}}

{{/*
Prometheus selector for one component's series: the Prometheus Operator labels scraped series with the
namespace and with job = the scraped Service's name.
*/}}
{{- define "scalable-api.promSelector" -}}
namespace="{{ .root.Release.Namespace }}",job="{{ include "scalable-api.componentName" . }}"
{{- end -}}

{{- define "scalable-api.topologySpread" -}}
{{- if .root.Values.topologySpread.enabled -}}
topologySpreadConstraints:
{{- range list "kubernetes.io/hostname" "topology.kubernetes.io/zone" }}
  - maxSkew: {{ $.root.Values.topologySpread.maxSkew }}
    topologyKey: {{ . }}
    whenUnsatisfiable: {{ $.root.Values.topologySpread.whenUnsatisfiable }}
    labelSelector:
      matchLabels:
        {{- include "scalable-api.selectorLabels" $ | nindent 8 }}
    matchLabelKeys: [pod-template-hash]
{{- end }}
{{- end }}
{{- end -}}

{{/* Waits until PostgreSQL accepts connections, for gateway and api-service. */}}
{{- define "scalable-api.waitForDatabase" -}}
{{- if .Values.waitForDatabase.enabled -}}
initContainers:
  - name: wait-for-database
    image: {{ include "scalable-api.thirdPartyImage" .Values.postgresql.image }}
    imagePullPolicy: IfNotPresent
    command:
      - sh
      - -c
      - until pg_isready -q -h "$POSTGRES_HOST" -p "$POSTGRES_PORT"; do echo "waiting for PostgreSQL at $POSTGRES_HOST:$POSTGRES_PORT"; sleep 2; done
    env:
      - name: POSTGRES_HOST
        value: {{ include "scalable-api.postgresHost" . | quote }}
      - name: POSTGRES_PORT
        value: {{ include "scalable-api.postgresPort" . | quote }}
    resources:
      {{- toYaml .Values.waitForDatabase.resources | nindent 6 }}
    securityContext:
      {{- toYaml .Values.containerSecurityContext | nindent 6 }}
{{- end }}
{{- end -}}

{{/*
The pod template shared by gateway, balancer and api: security, probes on the Quarkus health endpoints, graceful
termination, topology spread, config from the component's ConfigMap. Call with
(dict "root" $ "component" "api" "values" .Values.api "secretEnv" (list ...) "optionalSecretEnv" (list ...)
"serviceAccount" true "waitForDatabase" true "redis" true); "optionalSecretEnv" are keys of the chart's Secret the
container may start without; "redis" gives the container REDIS_PASSWORD and an external Redis's CA.
*/}}
{{- define "scalable-api.servicePod" -}}
{{- $name := include "scalable-api.componentName" . -}}
metadata:
  labels:
    {{- include "scalable-api.labels" . | nindent 4 }}
  annotations:
    {{- include "scalable-api.configChecksums" . | nindent 4 }}
    {{- with .values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ $name }}
  automountServiceAccountToken: {{ .serviceAccount }}
  {{- with .root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml .root.Values.podSecurityContext | nindent 4 }}
  terminationGracePeriodSeconds: {{ .values.terminationGracePeriodSeconds }}
  {{- with include "scalable-api.topologySpread" . }}
  {{- . | nindent 2 }}
  {{- end }}
  {{- if .waitForDatabase }}
  {{- with include "scalable-api.waitForDatabase" .root }}
  {{- . | nindent 2 }}
  {{- end }}
  {{- end }}
  containers:
    - name: {{ .component }}
      image: {{ include "scalable-api.serviceImage" (dict "root" .root "image" .values.image) }}
      imagePullPolicy: {{ .root.Values.image.pullPolicy }}
      ports:
        - name: http
          containerPort: {{ .values.port }}
          protocol: TCP
        - name: management
          containerPort: {{ .values.managementPort }}
          protocol: TCP
      envFrom:
        - configMapRef:
            name: {{ $name }}
      {{- $redisPassword := and .redis (include "scalable-api.redisAuth" .root) }}
      {{- if or .secretEnv .optionalSecretEnv $redisPassword }}
      env:
        {{- range .secretEnv }}
        - name: {{ . }}
          valueFrom:
            secretKeyRef:
              name: {{ include "scalable-api.secretName" $.root }}
              key: {{ . }}
        {{- end }}
        {{- range .optionalSecretEnv }}
        - name: {{ . }}
          valueFrom:
            secretKeyRef:
              name: {{ include "scalable-api.secretName" $.root }}
              key: {{ . }}
              optional: true
        {{- end }}
        {{- if $redisPassword }}
        {{- include "scalable-api.redisPasswordEnv" (dict "root" .root "name" "REDIS_PASSWORD") | nindent 8 }}
        {{- end }}
      {{- end }}
      startupProbe:
        httpGet:
          path: /q/health/started
          port: management
        periodSeconds: 2
        timeoutSeconds: 2
        failureThreshold: 90
      readinessProbe:
        httpGet:
          path: /q/health/ready
          port: management
        periodSeconds: 5
        timeoutSeconds: 2
        failureThreshold: 2
      livenessProbe:
        httpGet:
          path: /q/health/live
          port: management
        periodSeconds: 10
        timeoutSeconds: 3
        failureThreshold: 3
      lifecycle:
        preStop:
          sleep:
            seconds: {{ .values.preStopSleepSeconds }}
      resources:
        {{- toYaml .values.resources | nindent 8 }}
      securityContext:
        {{- toYaml .root.Values.containerSecurityContext | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        {{- if and .redis (include "scalable-api.redisCaSecret" .root) }}
        - name: redis-ca
          mountPath: /etc/scalable-api/redis-ca
          readOnly: true
        {{- end }}
  volumes:
    # Read-only root file system: the JVM and Vert.x write only here.
    - name: tmp
      emptyDir:
        sizeLimit: 256Mi
    {{- if and .redis (include "scalable-api.redisCaSecret" .root) }}
    - name: redis-ca
      secret:
        secretName: {{ include "scalable-api.redisCaSecret" .root }}
        items:
          - key: {{ .root.Values.externalRedis.tls.caSecretKey }}
            path: ca.crt
    {{- end }}
  {{- with .values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
