// Registers cdktf's jest matchers (toHaveResource, toHaveResourceWithProperties, toHaveDataSource, …);
// the side-effect import brings their type declarations into the type-check.
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";

Testing.setupJest();
