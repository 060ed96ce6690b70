// .proto files are imported as text: esbuild's `text` loader in the bundle, a small transform in jest.
declare module '*.proto' {
  const text: string;
  export default text;
}
