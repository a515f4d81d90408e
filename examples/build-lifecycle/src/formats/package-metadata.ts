import type { BuildContext } from "../build-context.js";
import { toSortedYaml } from "../recipe/recipe-file.js";

/**
 * A package's metadata.yml, pared down from dcpy's product dataset metadata (`id`, `attributes`, `columns`,
 * `files`, `custom`); the build is named in `custom` so a package can be traced to its build.
 */
export function packageMetadataYaml(
  build: BuildContext,
  dataset: { name: string; columns: readonly string[]; files: readonly { filename: string; type: string }[] },
): string {
  return toSortedYaml({
    id: dataset.name,
    attributes: {
      display_name: dataset.name.replaceAll("_", " ").replace(/^./, (c) => c.toUpperCase()),
      description: `The ${dataset.name} dataset of ${build.product} ${build.version} (mocked build).`,
      each_row_is_a: "Library",
      tags: [build.product],
    },
    columns: dataset.columns.map((id) => ({
      id,
      name: id,
      data_type: id === "wkb_geometry" ? "geometry" : "text",
    })),
    files: dataset.files.map((file) => ({
      file: { id: file.filename.replace(/\W/g, "_"), filename: file.filename, type: file.type },
    })),
    custom: { product: build.product, version: build.version, build_name: build.buildName },
  });
}
