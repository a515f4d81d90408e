import type { OpenAPIHono } from "@hono/zod-openapi";
import { routes } from "@sluice/contracts";
import { registerRoute } from "../http/route-def.js";
import type { BlockService } from "./block-service.js";
import type { BlockTypeService } from "./block-type-service.js";

/**
 * Mounts the block and block-type routes; the literal /filter path goes before /{type}/{name}.
 * `includeSecrets` is honoured as asked: the authentication middleware decides who may ask.
 */
export function mountBlockRoutes(app: OpenAPIHono, blocks: BlockService, types: BlockTypeService): void {
  registerRoute(app, routes.listBlockTypes, () => types.list());
  registerRoute(app, routes.readBlockType, ({ params }) => types.read(params.slug));
  registerRoute(app, routes.upsertBlockType, ({ params, body }) => types.upsert(params.slug, body));
  registerRoute(app, routes.deleteBlockType, ({ params }) => types.delete(params.slug));
  registerRoute(app, routes.filterBlocks, ({ body }) => blocks.list(body));
  registerRoute(app, routes.saveBlock, ({ params, body }) => blocks.save(params.type, params.name, body));
  registerRoute(app, routes.readBlock, ({ params, query }) =>
    blocks.read(params.type, params.name, query.includeSecrets),
  );
  registerRoute(app, routes.deleteBlock, ({ params }) => blocks.delete(params.type, params.name));
}
