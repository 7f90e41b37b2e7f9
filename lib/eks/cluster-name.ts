/**
 * What EKS accepts as a cluster name: 1–100 alphanumerics, '-' and '_', starting with an alphanumeric.
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html#AmazonEKS-CreateCluster-request-name
 */
export const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

/** The rule in words, for messages. */
export const EKS_CLUSTER_NAME_RULE = "an EKS cluster name: 1–100 letters, digits, '-' and '_', starting with a letter or digit";
