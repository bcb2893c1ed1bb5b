{{/*
What the pods read at start: each service's ConfigMap data and the chart's Secret data, one definition each, so the
objects and the checksum annotations that roll the pods when they change (scalable-api.configChecksums) come from
the same text.
*/}}

{{/* The environment of one service, as sorted YAML lines; call with (dict "root" $ "component" "gateway"). */}}
{{- define "scalable-api.configData" -}}
{{- $root := .root -}}
{{- $values := $root.Values -}}
{{- $data := dict -}}
{{- $jvm := dict "JAVA_TOOL_OPTIONS" $values.jvmOptions -}}
{{- $database := dict
      "POSTGRES_HOST" (include "scalable-api.postgresHost" $root)
      "POSTGRES_PORT" (include "scalable-api.postgresPort" $root)
      "POSTGRES_DB" (include "scalable-api.postgresDatabase" $root)
      "POSTGRES_USER" (include "scalable-api.postgresUser" $root)
      "REDIS_HOST" (include "scalable-api.redisHost" $root)
      "REDIS_PORT" (include "scalable-api.redisPort" $root) -}}
{{- if and (not $values.redis.enabled) $values.externalRedis.tls.enabled -}}
{{- $_ := set $database "REDIS_URL" (printf "rediss://%s:%v" (include "scalable-api.redisHost" $root) $values.externalRedis.port) -}}
{{- if $values.externalRedis.tls.caSecret -}}
{{- $_ := set $database "REDIS_TLS_CA" "/etc/scalable-api/redis-ca/ca.crt" -}}
{{- end -}}
{{- end -}}
{{- $tracing := dict -}}
{{- if $values.tracing.enabled -}}
{{- $tracing = dict
      "OTEL_SDK_DISABLED" "false"
      "OTEL_TRACES_EXPORTER" "otlp"
      "OTEL_EXPORTER_OTLP_ENDPOINT" $values.tracing.otlpEndpoint
      "OTEL_TRACES_SAMPLER" "parentbased_traceidratio"
      "OTEL_TRACES_SAMPLER_ARG" (toString $values.tracing.sampleRatio) -}}
{{- end -}}
{{- if eq .component "gateway" -}}
{{- $gatewayReplicas := ternary $values.gateway.autoscaling.minReplicas $values.gateway.replicas $values.gateway.autoscaling.enabled -}}
{{- $data = merge (dict
      "PORT" (toString $values.gateway.port)
      "MANAGEMENT_PORT" (toString $values.gateway.managementPort)
      "BALANCER_URL" (printf "http://%s:%v" (include "scalable-api.componentName" (dict "root" $root "component" "balancer")) $values.balancer.port)
      "GATEWAY_UPSTREAM_HEALTH_PORT" (toString $values.balancer.managementPort)
      "TRUSTED_PROXIES" (join "," (default (list "127.0.0.1/32" "::1/128") $values.gateway.trustedProxies))
      "RATELIMIT_FAILURE_MODE" $values.gateway.rateLimitFailureMode
      "GATEWAY_RATELIMIT_LOCAL_FALLBACK_EXPECTED_REPLICAS" (toString $gatewayReplicas)
      "POSTGRES_POOL_SIZE" (toString $values.gateway.databasePoolSize)
      "SHUTDOWN_TIMEOUT" $values.gateway.shutdownTimeout
      "GATEWAY_DATABASE_TIMEOUT" $values.gateway.databaseTimeout
      "GATEWAY_CREDENTIALS_POLL_INTERVAL" $values.gateway.credentialsPollInterval
      "PASSWORD_SETUP_TOKEN_TTL" $values.gateway.passwordSetupTokenTtl
      "ADMIN_SESSION_COOKIE_RENEW_AFTER" $values.gateway.adminSessionCookieRenewAfter
      "LOGIN_PASSWORD_CHECK_THREADS" (toString $values.gateway.passwordChecks.threads)
      "LOGIN_PASSWORD_CHECK_QUEUE" (toString $values.gateway.passwordChecks.queue)
      "AUDIT_RETENTION" $values.gateway.audit.retention
      "AUDIT_MAINTENANCE_INTERVAL" $values.gateway.audit.maintenanceInterval
      "AUDIT_FAILED_LOGINS_FLUSH_INTERVAL" $values.gateway.audit.failedLoginsFlushInterval
      "AUDIT_FAILED_LOGINS_BUCKETS_PER_MINUTE" (toString $values.gateway.audit.failedLoginsBucketsPerMinute)) $database $jvm $tracing -}}
{{- else if eq .component "balancer" -}}
{{- $data = merge (dict
      "PORT" (toString $values.balancer.port)
      "MANAGEMENT_PORT" (toString $values.balancer.managementPort)
      "BALANCER_DISCOVERY" "kubernetes"
      "BALANCER_ENDPOINTS_KUBERNETES_SERVICE" (include "scalable-api.componentName" (dict "root" $root "component" "api"))
      "BALANCER_ENDPOINTS_KUBERNETES_PORT_NAME" "http"
      "BALANCER_ENDPOINTS_KUBERNETES_HEALTH_PORT_NAME" "management"
      "BALANCER_POLICY" $values.balancer.policy
      "SHUTDOWN_TIMEOUT" $values.balancer.shutdownTimeout) $jvm -}}
{{- else -}}
{{- $data = merge (dict
      "PORT" (toString $values.api.port)
      "MANAGEMENT_PORT" (toString $values.api.managementPort)
      "POSTGRES_POOL_SIZE" (toString $values.api.databasePoolSize)
      "SHUTDOWN_TIMEOUT" $values.api.shutdownTimeout) $database $jvm $tracing -}}
{{- end -}}
{{- range $key, $value := merge (deepCopy (index $values .component "env")) $data }}
{{ $key }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/*
The chart's Secret data (stringData), computed once per render and kept for every later include, because generated
values are random: the Secret and the pods' checksum must hash the same values. Generated values are read back
from the live Secret on upgrade (lookup), so they never change under running pods.
*/}}
{{- define "scalable-api.secretData" -}}
{{- if not (hasKey .Values "_renderedSecretData") -}}
{{- $live := (lookup "v1" "Secret" .Release.Namespace (include "scalable-api.fullname" .)).data | default dict -}}
{{- $current := dict -}}
{{- range $key := list "IDENTITY_SIGNING_SECRET" "POSTGRES_PASSWORD" "GATEWAY_BOOTSTRAP_ADMIN_PASSWORD" -}}
{{- $_ := set $current $key (get $live $key | b64dec) -}}
{{- end -}}
{{- $data := dict
      "IDENTITY_SIGNING_SECRET" (.Values.secrets.identitySigningSecret | default $current.IDENTITY_SIGNING_SECRET | default (randAlphaNum 48))
      "POSTGRES_PASSWORD" (.Values.secrets.postgresPassword | default $current.POSTGRES_PASSWORD | default (randAlphaNum 32))
      "GATEWAY_BOOTSTRAP_ADMIN_EMAIL" (required "bootstrapAdmin.email is required" .Values.bootstrapAdmin.email)
      "GATEWAY_BOOTSTRAP_ADMIN_PASSWORD" (.Values.bootstrapAdmin.password | default $current.GATEWAY_BOOTSTRAP_ADMIN_PASSWORD | default (randAlphaNum 24)) -}}
{{- /* Only while a rotation needs it: never generated, and gone from the Secret once the value is emptied. */ -}}
{{- with .Values.secrets.identitySigningSecretPrevious -}}
{{- $_ := set $data "IDENTITY_SIGNING_SECRET_PREVIOUS" . -}}
{{- end -}}
{{- $_ := set .Values "_renderedSecretData" $data -}}
{{- end -}}
{{- range $key, $value := .Values._renderedSecretData }}
{{ $key }}: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/*
Pod template annotations that change whenever what the pod reads at start changes, so `helm upgrade` rolls exactly
the pods concerned: the component's ConfigMap and the Secret holding its credentials. With secrets.existingSecret
the chart does not own that Secret: its data is hashed when Helm can read it (helm upgrade), so a changed Secret
rolls the pods on the next upgrade. Another Secret a pod reads gets its own checksum/<name> line here.
Call with (dict "root" $ "component" "gateway").
*/}}
{{- define "scalable-api.configChecksums" -}}
checksum/config: {{ include "scalable-api.configData" . | sha256sum }}
{{- if ne .component "balancer" }}
{{- if .root.Values.secrets.existingSecret }}
checksum/secret: {{ (lookup "v1" "Secret" .root.Release.Namespace .root.Values.secrets.existingSecret).data | default dict | toJson | sha256sum }}
{{- else }}
checksum/secret: {{ include "scalable-api.secretData" .root | sha256sum }}
{{- end }}
{{- if include "scalable-api.redisAuth" .root }}
checksum/redis-secret: {{ include "scalable-api.redisSecretChecksum" .root }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
The Redis password of the chart's Secret (<fullname>-redis), computed once per render like scalable-api.secretData:
redis.auth.password, else the live Secret's (upgrades), else generated.
*/}}
{{- define "scalable-api.redisPassword" -}}
{{- if not (hasKey .Values "_renderedRedisPassword") -}}
{{- $live := (lookup "v1" "Secret" .Release.Namespace (include "scalable-api.redisSecretName" .)).data | default dict -}}
{{- $_ := set .Values "_renderedRedisPassword" (.Values.redis.auth.password | default (get $live "REDIS_PASSWORD" | b64dec) | default (randAlphaNum 32)) -}}
{{- end -}}
{{- .Values._renderedRedisPassword -}}
{{- end -}}

{{/* What rolls Redis and its clients when its password changes; an existingSecret is hashed when Helm can read it. */}}
{{- define "scalable-api.redisSecretChecksum" -}}
{{- if .Values.redis.auth.existingSecret -}}
{{- (lookup "v1" "Secret" .Release.Namespace .Values.redis.auth.existingSecret).data | default dict | toJson | sha256sum -}}
{{- else -}}
{{- include "scalable-api.redisPassword" . | sha256sum -}}
{{- end -}}
{{- end -}}

{{/* Flyway's JDBC pool per replica: quarkus.datasource.jdbc.max-size of gateway-service and api-service. */}}
{{- define "scalable-api.migrationPoolSize" -}}4{{- end -}}

{{/*
Fails the render when the gateway and api replicas could open more PostgreSQL connections than the server takes:
each at its most replicas (HPA or KEDA maximum, else replicas) plus a rolling update's 25 % surge, each replica
with its reactive pool and Flyway's JDBC pool, against max_connections minus connectionBudget.reserved.
*/}}
{{- define "scalable-api.checkConnectionBudget" -}}
{{- $migration := include "scalable-api.migrationPoolSize" . | int -}}
{{- $total := 0 -}}
{{- $terms := list -}}
{{- range $component := list "gateway" "api" -}}
{{- $values := index $.Values $component -}}
{{- $replicas := ternary (int $values.autoscaling.maxReplicas) (int $values.replicas) $values.autoscaling.enabled -}}
{{- $surge := div (add $replicas 3) 4 -}}
{{- $perPod := add (int $values.databasePoolSize) $migration -}}
{{- $connections := mul (add $replicas $surge) $perPod -}}
{{- $total = add $total $connections -}}
{{- $terms = append $terms (printf "%s (%d replicas + %d surge) x (%s.databasePoolSize %d + Flyway %d) = %d" $component $replicas $surge $component (int $values.databasePoolSize) $migration $connections) -}}
{{- end -}}
{{- $source := ternary "postgresql.maxConnections" "externalDatabase.maxConnections" .Values.postgresql.enabled -}}
{{- $max := ternary (int .Values.postgresql.maxConnections) (int .Values.externalDatabase.maxConnections) .Values.postgresql.enabled -}}
{{- $budget := sub $max (int .Values.connectionBudget.reserved) -}}
{{- if gt $total $budget -}}
{{- fail (printf "PostgreSQL connection budget exceeded: %s; %d in all, but %s (%d) minus connectionBudget.reserved (%d) leaves %d. Lower gateway.databasePoolSize / api.databasePoolSize or the autoscaling maxReplicas, or raise %s (the server's max_connections; with a PgBouncer in front, its max_client_conn)." (join " + " $terms) $total $source $max (int .Values.connectionBudget.reserved) $budget $source) -}}
{{- end -}}
{{- end -}}
