/**
 * @module credentials/model-service
 * Registered models and defaults: register what discovery found (all, a selection) or a custom
 * name, edit and delete models, test one with a tiny real request, and pick the default model per
 * type that `model: "default"` uses.
 */
import { GatewayError } from "../errors/gateway-error.js";
import type { ModelRecord, ModelType, NewModel } from "../store/store-types.js";
import { storeError, type CredentialService } from "./credential-service.js";
import type { CreateModelInput, RegisterModelsInput, UpdateModelInput } from "./credential-schemas.js";
import { modelView, type ModelView } from "./credential-views.js";
import type { ModelProbe } from "./provider-probe.js";

/** What a register call did. */
export interface RegisterResult {
  registered: ModelView[];
  /** Names that were already registered or not offered by the provider, with the reason. */
  skipped: { name: string; reason: string }[];
}

async function guarded<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw storeError(error);
  }
}

/** Manages registered models and defaults. */
export class ModelService {
  readonly #credentials: CredentialService;
  readonly #onChange: () => Promise<void>;

  constructor(credentials: CredentialService, onChange: () => Promise<void>) {
    this.#credentials = credentials;
    this.#onChange = onChange;
  }

  async list(): Promise<ModelView[]> {
    const store = this.#credentials.store;
    const [models, credentials] = await guarded(Promise.all([store.listModels(), store.listCredentials()]));
    const names = new Map(credentials.map((credential) => [credential.id, credential.name]));
    return models.map((model) => modelView(model, names.get(model.credentialId) ?? "?"));
  }

  async get(id: string): Promise<ModelView> {
    const model = await this.#record(id);
    const credential = await this.#credentials.record(model.credentialId);
    return modelView(model, credential.name);
  }

  /** Registers discovered models (all or a selection) and custom names on one credential. */
  async register(idOrName: string, input: RegisterModelsInput): Promise<RegisterResult> {
    const credential = await this.#credentials.record(idOrName);
    const store = this.#credentials.store;
    const existing = new Set((await guarded(store.listModels())).filter((model) => model.credentialId === credential.id).map((model) => model.name));
    const wanted: NewModel[] = [];
    const skipped: RegisterResult["skipped"] = [];
    if (input.all === true || (input.models?.length ?? 0) > 0) {
      const discovered = await this.#credentials.discover(credential.id);
      const byId = new Map(discovered.map((model) => [model.id, model]));
      const names = input.all === true ? discovered.map((model) => model.id) : (input.models ?? []);
      for (const name of names) {
        const found = byId.get(name);
        if (found === undefined) {
          skipped.push({ name, reason: "not offered by the provider (register it as a custom model to use it anyway)" });
          continue;
        }
        wanted.push({
          id: `${credential.name}/${name}`,
          credentialId: credential.id,
          name,
          upstreamModel: name,
          displayName: found.displayName ?? null,
          type: found.type,
          contextWindow: found.contextWindow ?? null,
          capabilities: [],
          inputPricePerMillion: found.inputPricePerMillion ?? null,
          outputPricePerMillion: found.outputPricePerMillion ?? null,
        });
      }
    }
    for (const custom of input.custom ?? []) {
      wanted.push({
        id: `${credential.name}/${custom.name}`,
        credentialId: credential.id,
        name: custom.name,
        upstreamModel: custom.upstream_model ?? custom.name,
        displayName: custom.display_name ?? null,
        type: custom.type ?? "chat",
        contextWindow: custom.context_window ?? null,
        capabilities: [],
        inputPricePerMillion: null,
        outputPricePerMillion: null,
      });
    }
    const fresh = wanted.filter((model) => {
      if (!existing.has(model.name)) return true;
      skipped.push({ name: model.name, reason: "already registered" });
      return false;
    });
    const created = await guarded(store.transaction(async (transaction) => Promise.all(fresh.map((model) => transaction.createModel(model)))));
    if (created.length > 0) await this.#onChange();
    return { registered: created.map((model) => modelView(model, credential.name)), skipped };
  }

  /** Registers one custom model (`POST /api/models`). */
  async create(input: CreateModelInput): Promise<ModelView> {
    const { credential, ...custom } = input;
    const result = await this.register(credential, { custom: [custom] });
    const created = result.registered[0];
    if (created === undefined) throw new GatewayError("already_exists", `Model '${credential}/${custom.name}' is already registered.`);
    return created;
  }

  async update(id: string, input: UpdateModelInput): Promise<ModelView> {
    const model = await this.#record(id);
    const updated = await guarded(
      this.#credentials.store.updateModel(model.id, {
        ...(input.upstream_model === undefined ? {} : { upstreamModel: input.upstream_model }),
        ...(input.display_name === undefined ? {} : { displayName: input.display_name }),
        ...(input.type === undefined ? {} : { type: input.type }),
        ...(input.context_window === undefined ? {} : { contextWindow: input.context_window }),
        ...(input.capabilities === undefined ? {} : { capabilities: input.capabilities }),
        ...(input.input_price_per_million === undefined ? {} : { inputPricePerMillion: input.input_price_per_million }),
        ...(input.output_price_per_million === undefined ? {} : { outputPricePerMillion: input.output_price_per_million }),
      }),
    );
    await this.#onChange();
    const credential = await this.#credentials.record(updated.credentialId);
    return modelView(updated, credential.name);
  }

  async remove(id: string): Promise<void> {
    const model = await this.#record(id);
    await guarded(this.#credentials.store.deleteModel(model.id));
    await this.#onChange();
  }

  /** Sends one tiny real request to the model. */
  async test(id: string): Promise<ModelProbe> {
    const model = await this.#record(id);
    const credential = await this.#credentials.record(model.credentialId);
    const { probeModel } = await import("./provider-probe.js");
    return probeModel(this.#credentials.settings(credential), model.upstreamModel, model.type, this.#credentials.outboundPolicy());
  }

  async defaults(): Promise<Partial<Record<ModelType, string>>> {
    return guarded(this.#credentials.store.getDefaults());
  }

  /** Sets the default for a type; the model must be registered. */
  async setDefault(type: ModelType, modelId: string | null): Promise<Partial<Record<ModelType, string>>> {
    if (modelId !== null) {
      const model = await this.#record(modelId);
      if (model.type !== type) {
        throw new GatewayError("invalid_request", `Model '${modelId}' is a ${model.type} model; the ${type} default must be a ${type} model.`, { param: "model" });
      }
    }
    await guarded(this.#credentials.store.setDefault(type, modelId));
    await this.#onChange();
    return this.defaults();
  }

  async #record(id: string): Promise<ModelRecord> {
    const model = await guarded(this.#credentials.store.getModel(id));
    if (model === undefined) throw new GatewayError("not_found", `No registered model has the id '${id}'.`, { param: "model" });
    return model;
  }
}
