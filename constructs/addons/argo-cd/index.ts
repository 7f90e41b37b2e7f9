export {
  ArgoCd, ARGOCD_DEFAULTS, ARGOCD_CHART_VERSION, ARGOCD_NAMESPACE, ARGOCD_IMAGE, ARGOCD_REDIS_IMAGE, ARGOCD_HAPROXY_IMAGE, ARGOCD_DEFAULT_RESOURCES, validateArgoCdProps,
} from "./argo-cd";
export type { ArgoCdProps, ArgoCdComponentProps, ArgoCdSsoProps } from "./argo-cd";
export { ARGOCD_SSO_SECRET, ARGOCD_COMPONENTS, argoCdValues } from "./argo-cd-values";
export { ArgoCdProjects, validateArgoCdProjectsProps } from "./argo-cd-projects";
export type { ArgoCdProjectsProps } from "./argo-cd-projects";
export { ArgoCdMonitoring } from "./argo-cd-monitoring";
export type { ArgoCdMonitoringProps } from "./argo-cd-monitoring";
