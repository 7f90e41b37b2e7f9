export * from "./istio-mesh";
export * from "./istio-values";
export * from "./mesh-policies";
export * from "./mesh-monitors";
