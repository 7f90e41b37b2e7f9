// Registers cdktf's jest matchers (toHaveResource, toHaveResourceWithProperties, toHaveDataSource, …).
import { Testing } from "cdktf";

Testing.setupJest();
