declare module 'virtual:route-table' {
  const table: Record<string, { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string }>;
  export default table;
}
