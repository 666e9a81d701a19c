export declare const engineLayers: Readonly<Record<string, number>>;
